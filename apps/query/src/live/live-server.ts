import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { CloseCode, handleProtocols, makeServer, type Context as WsContext, type ServerOptions } from 'graphql-ws';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { TokenVerifier } from '@ses/auth';
import { READ_STORE, type ReadStore } from '@ses/read-store';
import { formatErrorWith, LOGGER, parseAndValidate, SES_CONFIG, type SesConfig } from '@ses/platform';
import { ProjectionEngine } from '../projections/projection-engine';
import { authorizationFromConnectionParams, contextFactory, type QueryContext } from '../shared/query-context';
import { LiveEvents } from './live-events';
import { LiveSubscription, type LiveRoute, type RenderedEvent } from './live-subscription';

/** Close code for a connection whose reader falls behind by more than SES_LIVE_MAX_BUFFERED_BYTES. */
export const SLOW_READER_CLOSE_CODE = 4413;
/** How long a slow reader's connection may take to receive its close frame before it is cut. */
const SLOW_READER_GRACE_MS = 5000;
const ROUTE = Symbol('live route');
/** graphql-ws's default keep-alive: a ping every 12 s, and a connection without pong by the next one is cut. */
const KEEP_ALIVE_MS = 12_000;

interface Extra {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
}
type Params = Record<string, unknown> | undefined;
type Ctx = WsContext<Params, Extra>;

/**
 * One graphql-ws connection: writes `next` messages the hub has already serialized, and
 * keeps what it has not yet sent bounded. Writes within one slice of fan-out are corked
 * into one system call per connection (the upgrade request's socket is the connection's).
 */
export class LiveConnection {
  private corked = false;
  closed = false;

  constructor(
    readonly ws: WebSocket,
    private readonly socket: Socket,
    readonly principal: string,
    private readonly maxBufferedBytes: number,
    private readonly onSlowReader: (connection: LiveConnection) => void,
  ) {}

  /** Sends the `next` message for subscription `idJson`, built once per id for all connections (server frames are not masked). */
  sendNext(idJson: string, rendered: RenderedEvent): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    let message = rendered.messages.get(idJson);
    if (!message) {
      message = Buffer.from(`{"id":${idJson},"type":"next","payload":${rendered.json}}`);
      rendered.messages.set(idJson, message);
    }
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      corked.add(this);
      if (corked.size === 1) process.nextTick(flushCorked);
    }
    // A Buffer is sent as text all the same (graphql-ws clients read JSON from either) and ws does not copy it.
    this.ws.send(message, { binary: false });
  }

  /** Sends what was corked; a reader that leaves more than the limit unsent is closed. */
  flush(): void {
    if (this.corked) {
      this.corked = false;
      this.socket.uncork();
    }
    if (!this.closed && this.ws.bufferedAmount > this.maxBufferedBytes) this.onSlowReader(this);
  }
}

const corked = new Set<LiveConnection>();
/** Time spent handing corked writes to the kernel (wall time), ms: what fan-out costs beyond LiveEvents' own counter. */
export const flushTime = { ms: 0 };
function flushCorked(): void {
  const started = performance.now();
  const connections = [...corked];
  corked.clear();
  for (const connection of connections) connection.flush();
  flushTime.ms += performance.now() - started;
}

interface ConnectionState {
  connection?: LiveConnection;
}

/**
 * graphql-ws on the query app's HTTP server (`/graphql`), with the request limits of HTTP
 * and the live limits (README, "Security"):
 * - messages over SES_LIVE_MAX_MESSAGE_BYTES are refused by ws (close 1009) before parsing;
 * - at most SES_LIVE_MAX_CONNECTIONS connections (503 on upgrade beyond), and per principal
 *   at most SES_LIVE_MAX_SUBSCRIPTIONS_PER_PRINCIPAL connections (4403 at connection_init);
 * - `connection_init` must carry `authorization: "Bearer <JWT>"` (4403 otherwise);
 * - documents are parsed with the token limit and validated with the same gate as HTTP;
 * - subscription events bypass graphql-ws's per-subscriber execution and serialization
 *   (LiveEvents renders each once per selection) and are written to the socket here;
 * - a connection with more than SES_LIVE_MAX_BUFFERED_BYTES unsent is closed (4413).
 * Replaces @nestjs/graphql's own graphql-ws wiring, which offers none of these settings.
 */
@Injectable()
export class LiveServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private wss?: WebSocketServer;
  private dispose?: () => Promise<void>;
  private readonly states = new WeakMap<Ctx, ConnectionState>();
  private readonly connectionsPerPrincipal = new Map<string, number>();
  private readonly onUpgrade = (request: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(request, socket, head);
  private httpServer?: { on: (e: string, l: never) => void; off: (e: string, l: never) => void };
  slowReadersClosed = 0;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    private readonly live: LiveEvents,
    private readonly verifier: TokenVerifier,
    private readonly engine: ProjectionEngine,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(SES_CONFIG) private readonly config: SesConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get connections(): number {
    return this.wss?.clients.size ?? 0;
  }

  onApplicationBootstrap(): void {
    // GraphQLModule builds the schema in its own module; it is ready once the app bootstraps.
    const schema = this.moduleRef.get(GraphQLSchemaHost, { strict: false }).schema;
    const limits = this.config.live;
    const formatError = formatErrorWith(this.logger, this.config.production);
    const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] => errors.map((error) => formatError(error.toJSON(), error));
    const contextOf = contextFactory({
      verifier: this.verifier,
      readStore: this.readStore,
      engine: this.engine,
      minPositionTimeoutMs: this.config.minPositionTimeoutMs,
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false });
    const options: ServerOptions<Params, Extra> = {
      schema,
      onConnect: async (ctx) => {
        let principal: string;
        try {
          principal = (await this.verifier.verify(authorizationFromConnectionParams(ctx.connectionParams))).sub;
        } catch {
          return false;
        }
        const open = this.connectionsPerPrincipal.get(principal) ?? 0;
        if (open >= limits.maxSubscriptionsPerPrincipal) return false;
        this.connectionsPerPrincipal.set(principal, open + 1);
        const socket = ctx.extra.request.socket as Socket;
        const connection = new LiveConnection(ctx.extra.socket, socket, principal, limits.maxBufferedBytes, (c) => this.closeSlowReader(c));
        this.states.set(ctx, { connection });
        return true;
      },
      onClose: (ctx) => {
        const connection = this.states.get(ctx)?.connection;
        if (!connection) return;
        connection.closed = true;
        this.states.delete(ctx);
        const left = (this.connectionsPerPrincipal.get(connection.principal) ?? 1) - 1;
        if (left > 0) this.connectionsPerPrincipal.set(connection.principal, left);
        else this.connectionsPerPrincipal.delete(connection.principal);
      },
      onSubscribe: (_ctx, _id, payload) => {
        const parsed = parseAndValidate(schema, typeof payload.query === 'string' ? payload.query : '', this.config.graphql);
        if ('errors' in parsed) return parsed.errors;
        // Several operations and no operationName: refused here with a code (graphql-ws would raise it without one, which reads as an internal error).
        if (!getOperationAST(parsed.document, payload.operationName)) {
          return [new GraphQLError('Unable to identify operation: name one with operationName', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
        }
        const args: ExecutionArgs = { schema, document: parsed.document, operationName: payload.operationName, variableValues: payload.variables };
        return args;
      },
      context: (ctx, id, payload) => {
        const context: QueryContext & { [ROUTE]?: RouteSeed } = contextOf({ connectionParams: ctx.connectionParams });
        const connection = this.states.get(ctx)?.connection;
        if (connection) {
          context[ROUTE] = {
            connection,
            idJson: JSON.stringify(id),
            key: JSON.stringify([payload.query, payload.operationName ?? null, payload.variables ?? null]),
          };
        }
        return context;
      },
      subscribe: (args) => this.subscribe(args, schema, format),
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: format(result.errors as GraphQLError[]) } : undefined),
    };
    this.dispose = serveGraphqlWs(this.wss, options, this.logger);
    const httpServer = this.adapterHost.httpAdapter.getHttpServer() as NonNullable<LiveServer['httpServer']>;
    httpServer.on('upgrade', this.onUpgrade as never);
    this.httpServer = httpServer;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.httpServer?.off('upgrade', this.onUpgrade as never);
    this.live.closeAll();
    await this.dispose?.().catch(() => undefined);
  }

  private upgrade(request: IncomingMessage, socket: Socket, head: Buffer): void {
    const wss = this.wss;
    const path = (request.url ?? '').split('?')[0];
    if (!wss || path !== '/graphql') {
      socket.destroy();
      return;
    }
    if (wss.clients.size >= this.config.live.maxConnections) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  }

  /**
   * graphql's subscribe, except that a LiveSubscription served over a connection is not
   * pulled event by event (graphql-js would execute and graphql-ws serialize every event
   * once per subscriber): it is routed, and the hub writes each event's bytes directly.
   */
  private async subscribe(
    args: ExecutionArgs,
    schema: GraphQLSchema,
    format: (errors: readonly GraphQLError[]) => GraphQLFormattedError[],
  ): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> {
    const stream = await createSourceEventStream(args);
    if (!isAsyncIterable(stream)) return stream;
    const seed = (args.contextValue as { [ROUTE]?: RouteSeed } | undefined)?.[ROUTE];
    if (stream instanceof LiveSubscription && seed) {
      const toJson = (result: ExecutionResult) =>
        JSON.stringify(result.errors ? { data: result.data ?? null, errors: format(result.errors as GraphQLError[]) } : { data: result.data ?? null });
      const route: LiveRoute = {
        key: seed.key,
        render: (payload) => {
          const result = execute({ ...args, schema, rootValue: payload });
          return isPromise(result) ? result.then(toJson) : toJson(result);
        },
        send: (rendered) => seed.connection.sendNext(seed.idJson, rendered),
      };
      stream.attach(route);
      return stream as AsyncIterable<never>;
    }
    return mapEvents(stream, (payload) => execute({ ...args, rootValue: payload }));
  }

  private closeSlowReader(connection: LiveConnection): void {
    connection.closed = true;
    this.slowReadersClosed += 1;
    this.logger.warn(
      { principal: connection.principal, bufferedBytes: connection.ws.bufferedAmount, limit: this.config.live.maxBufferedBytes },
      'closing a slow graphql-ws reader',
    );
    connection.ws.close(SLOW_READER_CLOSE_CODE, `slow reader: more than ${this.config.live.maxBufferedBytes} bytes unsent`);
    setTimeout(() => connection.ws.terminate(), SLOW_READER_GRACE_MS).unref();
  }
}

/**
 * graphql-ws's server on a ws server: what graphql-ws/use/ws does (that entry point's types
 * do not resolve under this project's moduleResolution), with errors logged through pino
 * instead of console.error. Returns the dispose function.
 */
function serveGraphqlWs(wss: WebSocketServer, options: ServerOptions<Params, Extra>, logger: Logger): () => Promise<void> {
  const server = makeServer<Params, Extra>(options);
  wss.options.handleProtocols = handleProtocols;
  wss.on('connection', (ws: WebSocket, request: IncomingMessage) => {
    // ws reports what a client did wrong (a message over maxPayload: 1009, bad frames: 1002, bad UTF-8: 1007)
    // and closes the connection itself with that code; nothing to add but a line.
    ws.on('error', (error) => logger.info({ err: error.message }, 'graphql-ws connection refused a message'));
    let pongWait: NodeJS.Timeout | undefined;
    const pingInterval = setInterval(() => {
      if (ws.readyState !== ws.OPEN) return;
      pongWait = setTimeout(() => ws.terminate(), KEEP_ALIVE_MS);
      ws.once('pong', () => clearTimeout(pongWait));
      ws.ping();
    }, KEEP_ALIVE_MS);
    const closed = server.opened(
      {
        protocol: ws.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (ws.readyState !== ws.OPEN) return resolve();
            ws.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => ws.close(code, reason),
        onMessage: (handle) =>
          ws.on('message', (data: Buffer) => {
            handle(String(data)).catch((error: unknown) => {
              logger.error({ err: error instanceof Error ? error.message : String(error) }, 'graphql-ws message handling failed');
              ws.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      { socket: ws, request },
    );
    ws.once('close', (code: number, reason: Buffer) => {
      clearTimeout(pongWait);
      clearInterval(pingInterval);
      void closed(code, String(reason));
    });
  });
  return async () => {
    for (const client of wss.clients) client.close(1001, 'Going away');
    wss.removeAllListeners();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
}

interface RouteSeed {
  connection: LiveConnection;
  idJson: string;
  key: string;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T>)?.then === 'function';
}

/** Any other event stream: graphql-js's own behaviour (execute the selection per event). */
async function* mapEvents(
  stream: AsyncIterable<unknown>,
  map: (payload: unknown) => ExecutionResult | Promise<ExecutionResult>,
): AsyncGenerator<ExecutionResult, void, void> {
  for await (const payload of stream) yield await map(payload);
}
