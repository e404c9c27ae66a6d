import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SesStack } from '../../support/ses-stack';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');

/** What the foundation slice serves: none of it may break the contract (other slices are still being added). */
const FOUNDATION = {
  command: [
    'Mutation.openAccount', 'Mutation.grantEntitlement', 'Mutation.revokeEntitlement', 'Mutation.registerUser', 'Mutation.deactivateUser', 'Mutation.grantRole', 'Mutation.revokeRole',
    'ContactInput', 'OpenAccountInput', 'OpenAccountPayload', 'GrantEntitlementInput', 'EntitlementPayload', 'RevokeEntitlementInput',
    'RegisterUserInput', 'UserPayload', 'UserInput', 'RoleInput', 'Role', 'DateTime',
  ],
  query: [
    'Query.me', 'Query.account', 'Query.user', 'Query.eventHistory',
    'Account', 'Entitlement', 'User', 'Group', 'EventPage', 'RecordedEvent', 'UserStatus', 'EntitlementStatus', 'Role', 'DateTime', 'JSON',
  ],
};

describe('foundation: the served schemas keep the contract for the foundation operations', () => {
  let stack: SesStack;
  beforeAll(async () => {
    stack = await SesStack.start();
  }, 60_000);
  afterAll(() => stack?.stop());

  async function breakingChanges(which: 'command' | 'query', url: string): Promise<string[]> {
    const { stdout, code } = await run(process.execPath, [join(ROOT, '..', 'shared', 'contract', 'check-schema.mjs'), which, url], { cwd: ROOT }).then(
      (r) => ({ stdout: r.stdout, code: 0 }),
      (e: { stdout: string; code: number }) => ({ stdout: e.stdout, code: e.code }),
    );
    const lines = stdout.trim().split('\n');
    const summary = /^(\d+) breaking changes against contract\/(command|query)\.graphql$/.exec(lines.at(-1) ?? '');
    expect(summary?.[2]).toBe(which); // the checker ran (introspection worked) and summarised
    const changes = lines.slice(0, -1);
    expect(changes).toHaveLength(Number(summary![1]));
    expect(code).toBe(changes.length === 0 ? 0 : 1);
    return changes;
  }

  it.each(['command', 'query'] as const)('%s: no breaking change touches a foundation operation or type', async (which) => {
    const changes = await breakingChanges(which, stack[which].url);
    const touches = (line: string) => FOUNDATION[which].some((name) => new RegExp(`(^|[^A-Za-z0-9_.])${name.replace('.', '\\.')}([^A-Za-z0-9_]|$)`).test(line.replace(/^[A-Z_]+: /, '')));
    // The matcher itself: it recognises foundation lines and leaves other slices' alone.
    const sample = which === 'command' ? ['FIELD_REMOVED: Mutation.grantRole was removed.', 'FIELD_REMOVED: Mutation.checkOut was removed.'] : ['FIELD_REMOVED: Query.user was removed.', 'FIELD_REMOVED: Query.usageReport was removed.'];
    expect(sample.map(touches)).toEqual([true, false]);
    expect(touches('VALUE_REMOVED_FROM_ENUM: AUDITOR was removed from enum type Role.')).toBe(true);
    expect(changes.filter(touches)).toEqual([]);
  });
});
