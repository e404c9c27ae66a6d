import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(__dirname, '..', '..');
export const MAIN = {
  command: join(ROOT, 'dist', 'apps', 'command', 'src', 'main.js'),
  query: join(ROOT, 'dist', 'apps', 'query', 'src', 'main.js'),
};

/** One built app running as a separate process, on a port the OS picked. */
export class AppProcess {
  private constructor(
    readonly name: 'command' | 'query',
    private readonly child: ChildProcess,
    readonly port: number,
    readonly logs: string[],
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/graphql`;
  }

  static start(name: 'command' | 'query', env: Record<string, string>, timeoutMs = 30_000): Promise<AppProcess> {
    // SES_E2E_START_LOG=<file>: one line per app start-up (app, test file), to count them (README, Tests).
    const startLog = process.env.SES_E2E_START_LOG;
    if (startLog) appendFileSync(startLog, `${name} ${relative(ROOT, expect.getState().testPath ?? '?')}\n`);
    const portVar = name === 'command' ? 'SES_COMMAND_PORT' : 'SES_QUERY_PORT';
    const child = spawn(process.execPath, [MAIN[name]], {
      // Port 0 (the OS picks) unless the test fixes one (the portal's browser tests need both ports known up front).
      env: { ...process.env, NODE_ENV: 'test', SES_LOG_LEVEL: 'info', ...env, [portVar]: env[portVar] ?? '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: string[] = [];
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${logs.join('\n')}`));
      }, timeoutMs);
      const onLine = (line: string) => {
        logs.push(line);
        if (logs.length > 2000) logs.shift();
        const match = /"port":(\d+).*listening/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(new AppProcess(name, child, Number(match[1]), logs));
        }
      };
      createInterface({ input: child.stdout! }).on('line', onLine);
      createInterface({ input: child.stderr! }).on('line', onLine);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code} before listening:\n${logs.join('\n')}`));
      });
    });
  }

  /**
   * Both apps at once, as `npm start` runs them. If either fails to start, the other is
   * stopped before the failure is passed on (a test that failed there once left a command
   * app running after the whole suite).
   */
  static async startBoth(env: Record<string, string>, timeoutMs?: number): Promise<[AppProcess, AppProcess]> {
    const started = await Promise.allSettled([AppProcess.start('command', env, timeoutMs), AppProcess.start('query', env, timeoutMs)]);
    const failure = started.find((result) => result.status === 'rejected');
    if (!failure) return started.map((result) => (result as PromiseFulfilledResult<AppProcess>).value) as [AppProcess, AppProcess];
    await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.kill9() : undefined)));
    throw failure.reason;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** SIGTERM, then wait for a graceful exit. Resolves with the exit code. */
  stop(timeoutMs = 15_000): Promise<number | null> {
    return this.signal('SIGTERM', timeoutMs);
  }

  /** kill -9: no shutdown hooks run. */
  kill9(): Promise<number | null> {
    return this.signal('SIGKILL', 10_000);
  }

  private signal(signal: NodeJS.Signals, timeoutMs: number): Promise<number | null> {
    if (this.exited) return Promise.resolve(this.child.exitCode);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not exit after ${signal}`)), timeoutMs);
      this.child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
      this.child.kill(signal);
    });
  }
}
