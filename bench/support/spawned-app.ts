import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

// SES_BENCH_APPS_DIR=<another build's dist/>: spawn that build's apps (before/after comparisons in the same conditions).
const DIST = process.env.SES_BENCH_APPS_DIR ?? join(__dirname, '..', '..');
const MAIN = {
  command: join(DIST, 'apps', 'command', 'src', 'main.js'),
  query: join(DIST, 'apps', 'query', 'src', 'main.js'),
};

/** One built app as a child process (as `npm run start:command` runs it), with its start-up time and memory. */
export class SpawnedApp {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly logs: string[],
    /** From spawn to the first GET /health answering 200. */
    readonly startMs: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  /** `nodeArgs`: options for node itself (e.g. --cpu-prof). */
  static async start(app: 'command' | 'query', env: Record<string, string>, timeoutMs = 15 * 60_000, nodeArgs: string[] = []): Promise<SpawnedApp> {
    const spawned = performance.now();
    const portVar = app === 'command' ? 'SES_COMMAND_PORT' : 'SES_QUERY_PORT';
    const child = spawn(process.execPath, [...nodeArgs, MAIN[app]], {
      env: { ...process.env, SES_LOG_LEVEL: 'info', ...env, [portVar]: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: string[] = [];
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${app} did not listen within ${timeoutMs} ms:\n${logs.slice(-20).join('\n')}`)), timeoutMs);
      const onLine = (line: string) => {
        logs.push(line);
        if (logs.length > 500) logs.shift();
        const match = /"port":(\d+).*listening/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      createInterface({ input: child.stdout! }).on('line', onLine);
      createInterface({ input: child.stderr! }).on('line', onLine);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${app} exited with ${code}:\n${logs.slice(-20).join('\n')}`));
      });
    });
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
      if (res?.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return new SpawnedApp(child, port, logs, performance.now() - spawned);
  }

  /** Resident set now and at its peak (VmRSS, VmHWM), in MB. */
  memory(): { rssMB: number; peakRssMB: number } {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rssMB: Math.round(kb('VmRSS') / 1024), peakRssMB: Math.round(kb('VmHWM') / 1024) };
  }

  /** CPU time the process has used so far, all threads (utime + stime of /proc/<pid>/stat, in clock ticks of 10 ms), in ms. */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  }

  async health(): Promise<Record<string, unknown>> {
    return (await (await fetch(`http://127.0.0.1:${this.port}/health`)).json()) as Record<string, unknown>;
  }

  /** One GraphQL request; its duration in ms and its data (throws on errors). */
  async gql(
    token: string,
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<{ ms: number; data: Record<string, unknown> }> {
    const started = performance.now();
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    const ms = performance.now() - started;
    if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors ?? body)}`);
    return { ms, data: body.data };
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}
