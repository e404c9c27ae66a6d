import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST a webhook endpoint received, and what it answered. */
export interface ReceivedWebhook {
  path: string;
  headers: IncomingMessage['headers'];
  /** The body byte for byte (signatures cover it), as UTF-8. */
  body: string;
  status: number;
  /** When the request arrived (ms since the epoch). */
  at: number;
}

/** How an endpoint answers: by the number of times it has seen this webhook-id (1 for the first). */
export type Responder = (attemptOfThisId: number) => number;

/**
 * A webhook receiver on loopback, as alert engines run: records every POST, answers per path
 * (200 unless told otherwise), and lets tests wait for what they expect.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly responders = new Map<string, Responder>();
  private readonly delays = new Map<string, number>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const receiver: WebhookReceiver = new WebhookReceiver(createServer((req, res) => receiver.handle(req, res)));
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** How `path` answers, and after how long (a slow endpoint). */
  respond(path: string, responder: Responder, delayMs = 0): void {
    this.responders.set(path, responder);
    this.delays.set(path, delayMs);
  }

  at(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Polls the receiver's own record (cheap, local) until `probe` gives a value. */
  async until<T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; received: ${JSON.stringify(this.received.map((r) => [r.path, r.headers['webhook-id'], r.status]))}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: import('node:http').ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const id = String(req.headers['webhook-id']);
      const seen = this.received.filter((r) => r.path === path && r.headers['webhook-id'] === id).length;
      const status = (this.responders.get(path) ?? (() => 200))(seen + 1);
      this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status, at: Date.now() });
      const answer = () => res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
      const delay = this.delays.get(path) ?? 0;
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
  }
}
