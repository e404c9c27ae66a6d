import { ok } from './graphql-client';
import type { SesStack } from './ses-stack';

/** Short-hands for the set-up steps most end-to-end tests share. */
export const M = {
  openAccount: `mutation($input: OpenAccountInput!) { openAccount(input: $input) { accountId fulfillmentContactUserId position } }`,
  grantEntitlement: `mutation($input: GrantEntitlementInput!) { grantEntitlement(input: $input) { entitlementId position } }`,
  revokeEntitlement: `mutation($input: RevokeEntitlementInput!) { revokeEntitlement(input: $input) { entitlementId position } }`,
  registerUser: `mutation($input: RegisterUserInput!) { registerUser(input: $input) { userId position } }`,
  deactivateUser: `mutation($input: UserInput!) { deactivateUser(input: $input) { userId position } }`,
  grantRole: `mutation($input: RoleInput!) { grantRole(input: $input) { userId position } }`,
  revokeRole: `mutation($input: RoleInput!) { revokeRole(input: $input) { userId position } }`,
  createGroup: `mutation($input: CreateGroupInput!) { createGroup(input: $input) { groupId position } }`,
  setGroupProducts: `mutation($input: SetGroupProductsInput!) { setGroupProducts(input: $input) { groupId position } }`,
  addGroupMember: `mutation($input: GroupMemberInput!) { addGroupMember(input: $input) { groupId position } }`,
  removeGroupMember: `mutation($input: GroupMemberInput!) { removeGroupMember(input: $input) { groupId position } }`,
  setAlertRule: `mutation($input: SetAlertRuleInput!) { setAlertRule(input: $input) { ruleId position } }`,
  removeAlertRule: `mutation($input: RemoveAlertRuleInput!) { removeAlertRule(input: $input) { ruleId position } }`,
  startUsage: `mutation($input: StartUsageInput!) { startUsage(input: $input) { sessionId allowed denyReason termLicenseUsage warnings position } }`,
  heartbeatUsage: `mutation($input: SessionInput!) { heartbeatUsage(input: $input) { sessionId position } }`,
  endUsage: `mutation($input: SessionInput!) { endUsage(input: $input) { sessionId position } }`,
  checkOut: `mutation($input: CheckOutInput!) { checkOut(input: $input) { checkoutId userId productId machineId checkedOutAt expiresAt license position } }`,
  bulkCheckOut: `mutation($input: BulkCheckOutInput!) { bulkCheckOut(input: $input) { checkouts { checkoutId userId expiresAt license } position } }`,
  checkIn: `mutation($input: CheckInInput!) { checkIn(input: $input) { checkoutId position } }`,
};

/** The reads most end-to-end tests check (the whole directory view of an account, a user, a history page). */
export const Q = {
  me: `{ me { id accountId email displayName country status roles registeredAt groups { id } } }`,
  account: `query($id: ID!) { account(id: $id) {
    id name entitlementCountry openedAt
    entitlements { id accountId productId productName seats startsAt endsAt country offlineDays checkoutAllowed maxCheckoutDays status seatsInUse }
    users { id accountId email displayName country status roles }
    groups { id name }
  } }`,
  user: `query($id: ID!) { user(id: $id) { id accountId email displayName country status roles registeredAt groups { id } } }`,
  history: `query($id: ID!, $after: String, $first: Int, $types: [String!]) {
    eventHistory(accountId: $id, after: $after, first: $first, types: $types) {
      events { position streamId revision type occurredAt data metadata }
      nextCursor
    } }`,
};

let counter = 0;
/** An email no other test uses (emails are unique across the whole service). */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}.${process.pid}.${Date.now().toString(36)}.${counter}@example.com`;
}

export interface OpenedAccount {
  accountId: string;
  adminUserId: string;
  adminEmail: string;
  adminToken: string;
  position: string;
}

export async function openAccount(stack: SesStack, name = 'Acme Engineering', country = 'US'): Promise<OpenedAccount> {
  const operator = await stack.operatorToken();
  const adminEmail = uniqueEmail('admin');
  const { openAccount: r } = await ok(
    stack.mutate(operator, M.openAccount, {
      input: { name, entitlementCountry: country, fulfillmentContact: { email: adminEmail, displayName: 'Fulfilment Contact' } },
    }),
  );
  return { accountId: r.accountId, adminUserId: r.fulfillmentContactUserId, adminEmail, adminToken: await stack.userToken(adminEmail), position: r.position };
}

export interface EntitlementOptions {
  productId: string;
  seats: number;
  productName?: string;
  startsAt?: string;
  endsAt?: string;
  country?: string;
  offlineDays?: number;
  checkoutAllowed?: boolean;
  maxCheckoutDays?: number;
}

export async function grantEntitlement(stack: SesStack, accountId: string, options: EntitlementOptions): Promise<{ entitlementId: string; position: string }> {
  const operator = await stack.operatorToken();
  const input = {
    accountId,
    productName: options.productId.toUpperCase(),
    startsAt: '2026-01-01T00:00:00Z',
    endsAt: '2099-01-01T00:00:00Z',
    ...options,
  };
  return (await ok(stack.mutate(operator, M.grantEntitlement, { input }))).grantEntitlement;
}

export interface RegisteredUser {
  userId: string;
  email: string;
  token: string;
  position: string;
}

export async function registerUser(
  stack: SesStack,
  adminToken: string,
  accountId: string,
  extra: { country?: string; roles?: string[] } = {},
): Promise<RegisteredUser> {
  const email = uniqueEmail();
  const { registerUser: r } = await ok(
    stack.mutate(adminToken, M.registerUser, { input: { accountId, email, displayName: 'Test User', country: extra.country } }),
  );
  let position = r.position;
  for (const role of extra.roles ?? []) position = (await ok(stack.mutate(adminToken, M.grantRole, { input: { userId: r.userId, role } }))).grantRole.position;
  return { userId: r.userId, email, token: await stack.userToken(email), position };
}
