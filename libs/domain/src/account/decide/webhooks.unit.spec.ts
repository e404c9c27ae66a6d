import type { RemoveWebhook, SetWebhook } from '../account.commands';
import { LIMITS } from '../../shared/validation';
import { ACCOUNT, NOW, admin, coAdmin, deactivated, given, operator, plain, roleGranted, standardAccount, userActor, PLAIN } from '../testing/fixtures';

const DEVELOPMENT = { production: false, allowPrivate: false };
const PRODUCTION = { production: true, allowPrivate: false };

const setWebhook = (over: Partial<SetWebhook> = {}): SetWebhook => ({
  type: 'SetWebhook',
  actor: admin,
  now: NOW,
  webhookId: 'wh-1',
  url: 'https://hooks.example.com/ses',
  eventTypes: ['AlertRaised'],
  description: 'alert engine',
  urlPolicy: DEVELOPMENT,
  resolvedAddresses: [],
  ...over,
});
const removeWebhook = (over: Partial<RemoveWebhook> = {}): RemoveWebhook => ({ type: 'RemoveWebhook', actor: admin, now: NOW, webhookId: 'wh-1', ...over });
const webhookSet = (over: Record<string, unknown> = {}) => ({
  type: 'WebhookSet' as const,
  data: { accountId: ACCOUNT, webhookId: 'wh-1', url: 'https://hooks.example.com/ses', eventTypes: ['AlertRaised'], description: 'alert engine', ...over },
});
const webhookRemoved = { type: 'WebhookRemoved' as const, data: { accountId: ACCOUNT, webhookId: 'wh-1' } };

describe('SetWebhook', () => {
  it('sets a webhook for event types of the catalogue (listed once each)', () => {
    given(standardAccount())
      .when(setWebhook({ eventTypes: ['AlertRaised', 'UsageDenied', 'AlertRaised'] }))
      .then([webhookSet({ eventTypes: ['AlertRaised', 'UsageDenied'] })]);
  });

  it('records a missing description as null', () => {
    given(standardAccount())
      .when(setWebhook({ description: null }))
      .then([webhookSet({ description: null })]);
  });

  it.each([
    ['ACCOUNT_ADMINISTRATOR', admin],
    ['CO_ADMINISTRATOR', coAdmin],
    ['the operator', operator],
  ])('may be done by %s', (_, actor) => {
    given(standardAccount()).when(setWebhook({ actor })).then([webhookSet()]);
  });

  it('is refused to a user without an administrator role, an auditor, a deactivated administrator and another account', () => {
    given(standardAccount())
      .when(setWebhook({ actor: plain }))
      .thenThrows('FORBIDDEN');
    given([...standardAccount(), roleGranted(PLAIN, 'AUDITOR')])
      .when(setWebhook({ actor: plain }))
      .thenThrows('FORBIDDEN');
    given([...standardAccount(), deactivated('u-co')])
      .when(setWebhook({ actor: coAdmin }))
      .thenThrows('USER_DEACTIVATED');
    given(standardAccount())
      .when(setWebhook({ actor: userActor('u-admin', 'acc-other') }))
      .thenThrows('FORBIDDEN');
  });

  it('refuses event types the catalogue does not have, and service-internal ones, naming eventTypes', () => {
    const error = given(standardAccount())
      .when(setWebhook({ eventTypes: ['AlertRaised', 'AlertFired'] }))
      .thenThrows('BAD_USER_INPUT', ['eventTypes']);
    expect(error.message).toContain('AlertFired');
    given(standardAccount())
      .when(setWebhook({ eventTypes: ['EmailReserved'] }))
      .thenThrows('BAD_USER_INPUT', ['eventTypes']);
    given(standardAccount())
      .when(setWebhook({ eventTypes: [] }))
      .thenThrows('BAD_USER_INPUT', ['eventTypes']);
  });

  it.each([
    ['not a URL', 'hooks.example.com/ses'],
    ['another scheme', 'ftp://hooks.example.com/ses'],
    ['credentials in the URL', 'https://user:secret@hooks.example.com/ses'],
    ['a URL that is too long', `https://hooks.example.com/${'a'.repeat(LIMITS.webhookUrl)}`],
  ])('refuses %s', (_, url) => {
    given(standardAccount()).when(setWebhook({ url })).thenThrows('BAD_USER_INPUT', ['url']);
  });

  it('allows http and loopback outside production', () => {
    given(standardAccount())
      .when(setWebhook({ url: 'http://127.0.0.1:8080/hook' }))
      .then([webhookSet({ url: 'http://127.0.0.1:8080/hook' })]);
  });

  it('in production: https only, and every address the host resolves to must be public', () => {
    given(standardAccount())
      .when(setWebhook({ urlPolicy: PRODUCTION, url: 'http://hooks.example.com/ses', resolvedAddresses: ['93.184.216.34'] }))
      .thenThrows('BAD_USER_INPUT', ['url']);
    given(standardAccount())
      .when(setWebhook({ urlPolicy: PRODUCTION, resolvedAddresses: ['93.184.216.34'] }))
      .then([webhookSet()]);
    given(standardAccount())
      .when(setWebhook({ urlPolicy: PRODUCTION, resolvedAddresses: ['93.184.216.34', '10.0.0.7'] }))
      .thenThrows('BAD_USER_INPUT', ['url']);
    given(standardAccount())
      .when(setWebhook({ urlPolicy: PRODUCTION, resolvedAddresses: [] }))
      .thenThrows('BAD_USER_INPUT', ['url']);
  });

  it.each(['https://127.0.0.1/hook', 'https://[::1]/hook', 'https://169.254.169.254/latest/meta-data', 'https://0x7f000001/', 'https://10.1.2.3/'])(
    'in production refuses the address literal %s',
    (url) => {
      given(standardAccount())
        .when(setWebhook({ urlPolicy: PRODUCTION, url }))
        .thenThrows('BAD_USER_INPUT', ['url']);
    },
  );

  it('in production with private addresses allowed: a private address is accepted, http still is not', () => {
    const policy = { production: true, allowPrivate: true };
    given(standardAccount())
      .when(setWebhook({ urlPolicy: policy, url: 'https://10.1.2.3/hook' }))
      .then([webhookSet({ url: 'https://10.1.2.3/hook' })]);
    given(standardAccount())
      .when(setWebhook({ urlPolicy: policy, url: 'http://10.1.2.3/hook' }))
      .thenThrows('BAD_USER_INPUT', ['url']);
  });

  it('refuses a description that is blank or too long', () => {
    given(standardAccount())
      .when(setWebhook({ description: ' ' }))
      .thenThrows('BAD_USER_INPUT', ['description']);
    given(standardAccount())
      .when(setWebhook({ description: 'd'.repeat(LIMITS.webhookDescription + 1) }))
      .thenThrows('BAD_USER_INPUT', ['description']);
  });

  it(`refuses more than ${LIMITS.webhooksPerAccount} webhooks on one account`, () => {
    const many = Array.from({ length: LIMITS.webhooksPerAccount }, (_, i) => webhookSet({ webhookId: `wh-${i + 100}` }));
    given([...standardAccount(), ...many])
      .when(setWebhook())
      .thenThrows('BAD_USER_INPUT', ['accountId']);
  });

  it('answers NOT_FOUND to the operator for a missing account', () => {
    given([])
      .when(setWebhook({ actor: operator }))
      .thenThrows('NOT_FOUND');
  });
});

describe('RemoveWebhook', () => {
  it('removes a webhook that is set', () => {
    given([...standardAccount(), webhookSet()])
      .when(removeWebhook())
      .then([webhookRemoved]);
  });

  it('answers NOT_FOUND for an unknown or already removed webhook', () => {
    given(standardAccount()).when(removeWebhook()).thenThrows('NOT_FOUND');
    given([...standardAccount(), webhookSet(), webhookRemoved])
      .when(removeWebhook())
      .thenThrows('NOT_FOUND');
  });

  it('is refused to a user without an administrator role', () => {
    given([...standardAccount(), webhookSet()])
      .when(removeWebhook({ actor: plain }))
      .thenThrows('FORBIDDEN');
  });
});
