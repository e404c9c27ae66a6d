import type { Principal } from '@ses/auth';
import type { Role } from '@ses/events';
import type { Doc, ReadStore } from '@ses/read-store';
import { COLLECTIONS } from '../projections/projection';

/** Who is reading, resolved from the token and the read models (roles never from the token). */
export type Viewer =
  | { kind: 'operator'; sub: string }
  /** `email`: the token's (lower case), for the person's own registration requests. */
  | { kind: 'user'; sub: string; userId: string; accountId: string; roles: Role[]; active: boolean; email?: string }
  | { kind: 'unregistered'; sub: string; email?: string };

export interface UserDoc extends Doc {
  accountId: string;
  email: string;
  emailNormalized: string;
  displayName: string;
  country: string;
  status: 'ACTIVE' | 'DEACTIVATED';
  roles: Role[];
  groupIds: string[];
  registeredAt: string;
}

export async function resolveViewer(principal: Principal, readStore: ReadStore): Promise<Viewer> {
  if (principal.operator) return { kind: 'operator', sub: principal.sub };
  if (!principal.email) return { kind: 'unregistered', sub: principal.sub };
  const user = await readStore.findOne<UserDoc>(COLLECTIONS.users, { emailNormalized: principal.email });
  if (!user) return { kind: 'unregistered', sub: principal.sub, email: principal.email };
  return {
    kind: 'user',
    sub: principal.sub,
    userId: user._id,
    accountId: user.accountId,
    roles: user.roles ?? [],
    active: user.status === 'ACTIVE',
    email: principal.email,
  };
}
