import { createPublicKey, verify } from 'node:crypto';
import { ok } from '../../support/graphql-client';
import { grantEntitlement, M, openAccount, registerUser, type OpenedAccount, type RegisteredUser } from '../../support/scenario';
import type { SesStack } from '../../support/ses-stack';
import type { ReceivedWebhook } from '../../support/webhook-receiver';

export const N = {
  setWebhook: `mutation($input: SetWebhookInput!) { setWebhook(input: $input) { webhookId position } }`,
  removeWebhook: `mutation($input: RemoveWebhookInput!) { removeWebhook(input: $input) { webhookId position } }`,
  webhooks: `query($id: ID!) { webhooks(accountId: $id) { id accountId url eventTypes description status createdAt } }`,
  deliveries: `query($id: ID!, $status: DeliveryStatus, $first: Int, $after: String) {
    webhookDeliveries(webhookId: $id, status: $status, first: $first, after: $after) {
      deliveries { id webhookId eventType eventPosition status attempts lastAttemptAt lastResponseStatus lastError nextAttemptAt }
      nextCursor
    } }`,
  signingKeys: `{ signingKeys { kid alg publicKeyPem } }`,
};

export async function setWebhook(
  stack: SesStack,
  token: string,
  input: { accountId: string; url: string; eventTypes: string[]; description?: string },
): Promise<{ webhookId: string; position: string }> {
  return (await ok(stack.mutate(token, N.setWebhook, { input }))).setWebhook;
}

/**
 * The receiver's verification, written from the Standard Webhooks specification alone:
 * Ed25519 (`v1a`) over `${webhook-id}.${webhook-timestamp}.${body}` with a public key that
 * `signingKeys` lists. Nothing of the service's code is used.
 */
export function verifiesWith(publicKeyPems: readonly string[], delivery: ReceivedWebhook): boolean {
  const id = String(delivery.headers['webhook-id']);
  const timestamp = String(delivery.headers['webhook-timestamp']);
  const message = Buffer.from(`${id}.${timestamp}.${delivery.body}`, 'utf8');
  const signatures = String(delivery.headers['webhook-signature'] ?? '')
    .split(' ')
    .map((entry) => entry.split(','))
    .filter(([version]) => version === 'v1a')
    .map(([, signature]) => Buffer.from(signature, 'base64'));
  return signatures.some((signature) => publicKeyPems.some((pem) => verify(null, message, createPublicKey(pem), signature)));
}

export async function publicKeys(stack: SesStack, token: string): Promise<string[]> {
  return (await ok(stack.read(token, N.signingKeys))).signingKeys.map((k: { publicKeyPem: string }) => k.publicKeyPem);
}

/** An account entitled to one product, and a user who can start sessions of it. */
export async function accountWithUser(stack: SesStack, name: string): Promise<{ account: OpenedAccount; user: RegisteredUser }> {
  const account = await openAccount(stack, name);
  await grantEntitlement(stack, account.accountId, { productId: 'notify-app', seats: 5 });
  const user = await registerUser(stack, account.adminToken, account.accountId);
  return { account, user };
}

/** Makes the rule fire: a session of its product that reaches the threshold of 1. */
export async function raiseAlert(
  stack: SesStack,
  account: OpenedAccount,
  user: RegisteredUser,
  notifyUserIds: string[] = [],
): Promise<{ ruleId: string; position: string }> {
  const { setAlertRule } = await ok(
    stack.mutate(account.adminToken, M.setAlertRule, { input: { accountId: account.accountId, productId: 'notify-app', thresholdSeats: 1, notifyUserIds } }),
  );
  const started = (await ok(stack.mutate(user.token, M.startUsage, { input: { productId: 'notify-app', machineId: 'pc-1' } }))).startUsage;
  if (!started.allowed) throw new Error(`session not allowed: ${started.denyReason}`);
  return { ruleId: setAlertRule.ruleId, position: started.position };
}

/** Reads until `holds` (e.g. a record reaching its final status); fails with the last value read. */
export async function eventually<T>(read: () => Promise<T>, holds: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
