import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { join } from 'node:path';
import type { SesStack } from '../../support/ses-stack';

/** What one raw POST got back, with the server's own account of its time (Server-Timing). */
export interface RawAnswer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } | undefined;
  text: string;
  /** Server-side wall time and process CPU time of this request, ms (absent if the app sent no header). */
  server?: { wallMs: number; cpuMs: number };
  clientMs: number;
}

export function parseServerTiming(header: string | null): RawAnswer['server'] {
  if (!header) return undefined;
  const wall = /app;dur=([\d.]+)/.exec(header)?.[1];
  const cpu = /cpu;dur=([\d.]+)/.exec(header)?.[1];
  return wall && cpu ? { wallMs: Number(wall), cpuMs: Number(cpu) } : undefined;
}

/** POSTs a body as is (string) or as JSON, with an optional Authorization header value (sent verbatim). */
export async function post(url: string, body: unknown, options: { authorization?: string; contentType?: string; timeoutMs?: number } = {}): Promise<RawAnswer> {
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'application/json', ...(options.authorization ? { authorization: options.authorization } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
  });
  const text = await res.text();
  const clientMs = performance.now() - started;
  let parsed: RawAnswer['body'];
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text, server: parseServerTiming(res.headers.get('server-timing')), clientMs };
}

export const codesOf = (answer: RawAnswer) => (answer.body?.errors ?? []).map((e) => e.extensions?.code);

/** Events in the embedded event store, read straight from its SQLite file (what "nothing appended" is checked against). */
export function eventCount(stack: SesStack): number {
  const db = new Database(join(stack.dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** `query { ...f0 } fragment f0 on Query { ...f1 ...f1 } ... fragment fN on Query { <leaf> }`: 2^N leaves once expanded, about 60 bytes a level. */
export function fragmentBomb(levels: number, leaf: string, type = 'Query', operation = 'query'): string {
  let source = `${operation} { ...f0 }`;
  for (let i = 0; i < levels; i++) source += ` fragment f${i} on ${type} { ...f${i + 1} ...f${i + 1} }`;
  return `${source} fragment f${levels} on ${type} { ${leaf} }`;
}

/** n distinct aliases of three characters at most (53 x 63 x 63 = 210,357 of them), so 100,000 aliased fields fit in a 1 MB body. */
export function aliasNames(n: number): string[] {
  const first = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_';
  const rest = `${first}0123456789`;
  const names: string[] = [];
  for (const a of first) for (const b of rest) for (const c of rest) if (names.length < n) names.push(a + b + c);
  return names;
}

/** `{aaa:ping aab:ping ...}`; no separator after a `}` (`{aaa:me{id}aab:me{id}...}`), so 100,000 `me{id}` fit in 1 MB too. */
export function aliased(n: number, field: string): string {
  return `{${aliasNames(n)
    .map((alias) => `${alias}:${field}`)
    .join(field.endsWith('}') ? '' : ' ')}}`;
}

/** Waits until `probe` returns a truthy value (polling), or fails after the deadline with the last value. */
export async function eventually<T>(probe: () => Promise<T>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}

/**
 * A bare graphql-ws (graphql-transport-ws) client on `ws`, for what graphql-ws's own client
 * hides: many subscriptions on one connection, a reader that stops reading (`pause`), the
 * close code. Messages are kept as parsed JSON.
 */
export class RawGraphqlWs {
  readonly messages: { id?: string; type: string; payload?: unknown }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
    ws.on('message', (data: Buffer) => this.messages.push(JSON.parse(String(data))));
    void this.closed.then(({ code, reason }) => this.messages.push({ type: 'closed', payload: { code, reason } }));
  }

  /** Opens, sends connection_init with `authorization` verbatim, resolves once acknowledged (rejects with the close code otherwise). */
  static async connect(url: string, authorization: string | undefined): Promise<RawGraphqlWs> {
    const ws = new WebSocket(url, 'graphql-transport-ws');
    const client = new RawGraphqlWs(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ type: 'connection_init', payload: authorization ? { authorization } : {} }));
    await Promise.race([
      eventually(async () => client.messages.some((m) => m.type === 'connection_ack'), 'connection_ack'),
      client.closed.then(({ code, reason }) => Promise.reject(new Error(`closed ${code} ${reason}`))),
    ]);
    return client;
  }

  subscribe(id: string, query: string, variables: Record<string, unknown>): void {
    this.ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
  }

  complete(id: string): void {
    this.ws.send(JSON.stringify({ id, type: 'complete' }));
  }

  /** Events received (`next` messages with data). */
  nexts(id?: string) {
    return this.messages.filter((m) => m.type === 'next' && (id === undefined || m.id === id) && !(m.payload as { errors?: unknown }).errors);
  }

  /**
   * The errors answered to a subscription: an `error` message (the document did not validate) or,
   * when the resolver refused (FORBIDDEN...), a `next` carrying `errors` (graphql-js's subscribe result).
   */
  errorsOf(id: string): { message: string; extensions?: Record<string, unknown> }[] {
    return this.messages.flatMap((m) => {
      if (m.id !== id) return [];
      if (m.type === 'error') return m.payload as { message: string }[];
      const errors = m.type === 'next' ? (m.payload as { errors?: { message: string }[] }).errors : undefined;
      return errors ?? [];
    });
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
    return this.closed;
  }
}
