import type { DomainEvent } from '@ses/events';
import { notFound } from '../../shared/domain-error';
import { LIMITS, Validator, isBoundedText } from '../../shared/validation';
import { isWebhookEventType } from '../../notifications/webhook-event-types';
import { webhookUrlProblem } from '../../notifications/webhook-url';
import { authorizeOnAccount, requireAccount } from '../account.authorization';
import type { RemoveWebhook, SetWebhook } from '../account.commands';
import type { AccountState } from '../account.state';
import { assertNewId, dedupe, isGiven } from './input-rules';

/** A new webhook of the account: its URL (refused addresses per the policy), the catalogue's event types it wants, a description. */
export function decideSetWebhook(c: SetWebhook, state: AccountState): DomainEvent[] {
  authorizeOnAccount(state, c.actor, 'manageWebhooks');
  const urlProblem = webhookUrlProblem(c.url, c.urlPolicy, c.resolvedAddresses);
  const unknown = c.eventTypes.filter((type) => !isWebhookEventType(type));
  const description = isGiven(c.description) ? c.description : null;
  new Validator()
    .check(urlProblem === null, 'url', urlProblem ?? '')
    .check(c.eventTypes.length > 0, 'eventTypes', 'at least one event type of the catalogue')
    .check(c.eventTypes.length <= LIMITS.listSize, 'eventTypes', `at most ${LIMITS.listSize} entries`)
    .check(unknown.length === 0, 'eventTypes', `unknown event types: ${unknown.slice(0, 5).join(', ')}`)
    .check(description === null || isBoundedText(description, LIMITS.webhookDescription), 'description', `1..${LIMITS.webhookDescription} characters`)
    .throwIfInvalid();
  requireAccount(state);
  assertNewId(c.webhookId in state.webhooks, 'webhook', c.webhookId);
  new Validator()
    .check(Object.keys(state.webhooks).length < LIMITS.webhooksPerAccount, 'accountId', `an account has at most ${LIMITS.webhooksPerAccount} webhooks`)
    .throwIfInvalid();
  return [
    {
      type: 'WebhookSet',
      data: { accountId: state.accountId, webhookId: c.webhookId, url: c.url, eventTypes: dedupe(c.eventTypes), description },
    },
  ];
}

export function decideRemoveWebhook(c: RemoveWebhook, state: AccountState): DomainEvent[] {
  authorizeOnAccount(state, c.actor, 'manageWebhooks');
  requireAccount(state);
  const webhook = state.webhooks[c.webhookId];
  if (!webhook) throw notFound('webhook');
  return [{ type: 'WebhookRemoved', data: { accountId: state.accountId, webhookId: webhook.webhookId } }];
}
