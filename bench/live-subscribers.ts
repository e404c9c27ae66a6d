import WebSocket from 'ws';

/**
 * Child process of bench/live-fan-out.bench.ts: holds the graphql-ws subscribers, so that
 * receiving tens of thousands of messages a second does not slow the parent's `me` client.
 * One connection per subscription (as the reproduction). Talks to the parent over IPC:
 * { open: { url, accountId, tokens, perToken } } -> { ready }; { stats } -> counts and lag;
 * { close } -> closes every connection, answers { closed } and exits.
 */
const USAGE = 'subscription($id: ID!) { usageEvents(accountId: $id) { type sessionId accountId userId productId machineId at termLicenseUsage denyReason } }';

interface OpenCommand {
  url: string;
  accountId: string;
  tokens: string[];
  perToken: number;
}

const sockets: WebSocket[] = [];
let messages = 0;
let bytes = 0;
const lagsMs: number[] = [];

function open(command: OpenCommand): Promise<void> {
  const connect = (token: string, index: number) =>
    new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(command.url, 'graphql-transport-ws');
      sockets.push(ws);
      ws.once('error', reject);
      ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      ws.on('message', (data: Buffer) => {
        if (data.length < 40 && String(data).includes('connection_ack')) {
          ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: USAGE, variables: { id: command.accountId } } }));
          return resolve();
        }
        messages += 1;
        bytes += data.length;
        // Lag of every 10th message: from the event's own time (the command app's clock, same machine) to its arrival.
        if ((messages + index) % 10 === 0) {
          const at = /"at":"([^"]+)"/.exec(String(data))?.[1];
          if (at) lagsMs.push(Date.now() - Date.parse(at));
        }
      });
      ws.once('close', (code) => code !== 1000 && code !== 1001 && reject(new Error(`closed ${code}`)));
    });
  const all: Promise<void>[] = [];
  command.tokens.forEach((token, t) => {
    for (let i = 0; i < command.perToken; i++) all.push(connect(token, t * command.perToken + i));
  });
  return Promise.all(all).then(() => undefined);
}

function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

process.on('message', (message: { open?: OpenCommand; stats?: true; reset?: true; close?: true }) => {
  if (message.open) {
    open(message.open).then(
      () => process.send!({ ready: true }),
      (error: unknown) => process.send!({ error: String(error) }),
    );
  } else if (message.reset) {
    messages = 0;
    bytes = 0;
    lagsMs.length = 0;
    process.send!({ reset: true });
  } else if (message.stats) {
    process.send!({ stats: { messages, bytes, lagP50Ms: percentile(lagsMs, 50), lagP99Ms: percentile(lagsMs, 99), lagSamples: lagsMs.length } });
  } else if (message.close) {
    let open = sockets.length;
    const done = () => {
      process.send!({ closed: true }, () => process.exit(0));
    };
    if (!open) done();
    for (const ws of sockets) {
      ws.once('close', () => --open === 0 && done());
      ws.close(1000);
    }
  }
});
