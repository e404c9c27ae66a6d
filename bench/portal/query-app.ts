import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The built query app (dist/) as its own process (on SES_QUERY_PORT when given, else a port the OS picks), as `npm start` runs it. */
export interface RunningApp {
  port: number;
  stop(): Promise<void>;
}

export function startQueryApp(env: Record<string, string>, timeoutMs = 300_000): Promise<RunningApp> {
  const main = join(__dirname, '..', '..', 'apps', 'query', 'src', 'main.js');
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, SES_LOG_LEVEL: 'info', SES_QUERY_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`query app did not start within ${timeoutMs} ms:\n${logs.slice(-20).join('\n')}`));
    }, timeoutMs);
    const onLine = (line: string) => {
      logs.push(line);
      if (logs.length > 200) logs.shift();
      const port = /"port":(\d+).*listening/.exec(line)?.[1];
      if (!port) return;
      clearTimeout(timer);
      // Listening is not serving yet: wait for GET /health to answer 200 (read models open, projections started).
      void waitForHealth(Number(port), timeoutMs).then(
        () =>
          resolve({
            port: Number(port),
            stop: () =>
              new Promise<void>((done) => {
                if (child.exitCode !== null) return done();
                child.once('exit', () => done());
                child.kill('SIGTERM');
              }),
          }),
        (error: unknown) => {
          child.kill('SIGKILL');
          reject(error);
        },
      );
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`query app exited with ${code}:\n${logs.slice(-20).join('\n')}`));
    });
  });
}

async function waitForHealth(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200) return;
    } catch {
      // not answering yet
    }
    if (Date.now() > deadline) throw new Error(`query app on :${port} not healthy within ${timeoutMs} ms`);
    await new Promise((wake) => setTimeout(wake, 250));
  }
}
