import { ok } from '../../support/graphql-client';
import type { SesStack } from '../../support/ses-stack';

/** Mutations and reads of the contract extension "onboarding". */
export const OM = {
  setAccountDomains: `mutation($input: SetAccountDomainsInput!) { setAccountDomains(input: $input) { accountId domains autoApprove position } }`,
  requestRegistration: `mutation($input: RequestRegistrationInput!) { requestRegistration(input: $input) { requestId accountId status userId position } }`,
  approveRegistration: `mutation($input: DecideRegistrationInput!) { approveRegistration(input: $input) { requestId accountId status userId position } }`,
  rejectRegistration: `mutation($input: DecideRegistrationInput!) { rejectRegistration(input: $input) { requestId accountId status userId position } }`,
  registerUsers: `mutation($input: RegisterUsersInput!) { registerUsers(input: $input) { registered failed position results { row email userId errorCode errorMessage } } }`,
};

const REQUEST_FIELDS = 'id accountId email displayName country status requestedAt decidedAt decidedBy reason userId';
export const OQ = {
  myAdministrators: `{ myAdministrators { userId displayName email roles } }`,
  myRegistrationRequests: `{ myRegistrationRequests { ${REQUEST_FIELDS} } }`,
  registrationRequests: `query($id: ID!, $status: RegistrationStatus) { registrationRequests(accountId: $id, status: $status) { ${REQUEST_FIELDS} } }`,
  accountDomains: `query($id: ID!) { account(id: $id) { id domains autoApprove } }`,
};

let counter = 0;
/** An email domain no other test claims (domains belong to one account across the whole service). */
export function uniqueDomain(prefix = 'org'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}.example`;
}

export async function setDomains(stack: SesStack, token: string, accountId: string, domains: string[], autoApprove = false): Promise<string> {
  return (await ok(stack.mutate(token, OM.setAccountDomains, { input: { accountId, domains, autoApprove } }))).setAccountDomains.position;
}

/** A person signed in with `email` (not registered) asks to join: their token and the answer. */
export async function requestToJoin(stack: SesStack, email: string, displayName = 'Pat Example') {
  const token = await stack.userToken(email);
  return { token, res: await stack.mutate(token, OM.requestRegistration, { input: { displayName } }) };
}

export interface RegistrationPayload {
  requestId: string;
  accountId: string;
  status: 'PENDING' | 'APPROVED' | 'REJECTED';
  userId: string | null;
  position: string;
}

/** As requestToJoin, failing the test unless the request is accepted. */
export async function requested(stack: SesStack, email: string, displayName?: string): Promise<RegistrationPayload> {
  const { res } = await requestToJoin(stack, email, displayName);
  return (await ok(Promise.resolve(res))).requestRegistration;
}
