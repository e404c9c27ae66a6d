import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '../../libs/auth/src/token-issuer';
import { AppProcess } from './app-process';
import { gql, type GraphQLResponse } from './graphql-client';

export const TEST_SECRET = 'e2e-test-secret-that-is-long-enough-000';

/**
 * Both apps as separate processes on the embedded stores in a fresh data directory,
 * plus helpers to talk to them as clients do.
 */
export class SesStack {
  command!: AppProcess;
  query!: AppProcess;

  private constructor(
    readonly dataDir: string,
    readonly env: Record<string, string>,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<SesStack> {
    const dataDir = mkdtempSync(join(tmpdir(), 'ses-e2e-'));
    const stack = new SesStack(dataDir, { SES_DATA_DIR: dataDir, SES_AUTH_SECRET: TEST_SECRET, ...env });
    try {
      [stack.command, stack.query] = await AppProcess.startBoth(stack.env);
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
    return stack;
  }

  async restart(which: 'command' | 'query' | 'both' = 'both', env: Record<string, string> = {}): Promise<void> {
    const names = which === 'both' ? (['command', 'query'] as const) : [which];
    for (const name of names) {
      if (!this[name].exited) await this[name].stop();
      this[name] = await AppProcess.start(name, { ...this.env, ...env });
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.command?.stop().catch(() => undefined), this.query?.stop().catch(() => undefined)]);
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  operatorToken(): Promise<string> {
    return issueToken(TEST_SECRET, { operator: true, sub: 'operator-backoffice' });
  }

  userToken(email: string): Promise<string> {
    return issueToken(TEST_SECRET, { email, sub: `sub-${email}` });
  }

  mutate<T = Record<string, any>>(token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
    return gql<T>(this.command.url, token, query, variables);
  }

  /** Queries the read side; pass the position a mutation returned to read your own writes. */
  read<T = Record<string, any>>(
    token: string | undefined,
    query: string,
    variables?: Record<string, unknown>,
    minPosition?: string,
  ): Promise<GraphQLResponse<T>> {
    return gql<T>(this.query.url, token, query, variables, minPosition ? { 'x-ses-min-position': minPosition } : {});
  }
}
