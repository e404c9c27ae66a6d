import { ConfigError, DEVELOPMENT_AUTH_SECRET, loadConfig } from './config';

describe('loadConfig', () => {
  it('runs the embedded default with a development secret outside production', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      commandPort: 3000,
      queryPort: 4000,
      sessionTtlSeconds: 900,
      minPositionTimeoutMs: 5000,
      eventStoreUrl: undefined,
      readStoreUrl: undefined,
    });
    expect(config.auth).toMatchObject({ secret: DEVELOPMENT_AUTH_SECRET, usingDevelopmentSecret: true });
  });

  it('refuses to start in production without SES_AUTH_SECRET', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(loadConfig({ NODE_ENV: 'production', SES_AUTH_SECRET: 'x'.repeat(40) }).auth.usingDevelopmentSecret).toBe(false);
  });

  it('takes larger JSON bodies on the command app (a 10,000-row registerUsers file) unless SES_HTTP_MAX_BODY_BYTES sets both', () => {
    expect(loadConfig({}).maxBodyBytes).toEqual({ command: 4 * 1024 * 1024, query: 1024 * 1024 });
    expect(loadConfig({ SES_HTTP_MAX_BODY_BYTES: '2048' }).maxBodyBytes).toEqual({ command: 2048, query: 2048 });
  });

  it('rejects malformed numbers with the variable name', () => {
    expect(() => loadConfig({ SES_USAGE_SESSION_TTL_SECONDS: 'soon' })).toThrow(/SES_USAGE_SESSION_TTL_SECONDS/);
    expect(() => loadConfig({ SES_COMMAND_PORT: '70000' })).toThrow(/SES_COMMAND_PORT/);
  });

  it('reads the notification settings: retry schedule, private addresses, timeout, SMTP', () => {
    expect(loadConfig({}).notifications).toEqual({
      retryScheduleSeconds: [5, 60, 600, 3600, 21600, 86400],
      allowPrivateAddresses: false,
      webhookTimeoutMs: 10_000,
      smtpUrl: undefined,
      mailFrom: undefined,
    });
    const set = loadConfig({
      SES_WEBHOOK_RETRY_SCHEDULE: '1,2',
      SES_WEBHOOK_ALLOW_PRIVATE: 'true',
      SES_SMTP_URL: 'smtp://127.0.0.1:2525',
      SES_MAIL_FROM: 'SES <ses@example.com>',
    }).notifications;
    expect(set).toMatchObject({
      retryScheduleSeconds: [1, 2],
      allowPrivateAddresses: true,
      smtpUrl: 'smtp://127.0.0.1:2525',
      mailFrom: 'SES <ses@example.com>',
    });
  });

  it('refuses a malformed retry schedule, an SMTP URL of another scheme, and SMTP without a sender', () => {
    expect(() => loadConfig({ SES_WEBHOOK_RETRY_SCHEDULE: '5,soon' })).toThrow(/SES_WEBHOOK_RETRY_SCHEDULE/);
    expect(() => loadConfig({ SES_SMTP_URL: 'http://mail', SES_MAIL_FROM: 'a@b.c' })).toThrow(/SES_SMTP_URL/);
    expect(() => loadConfig({ SES_SMTP_URL: 'smtp://127.0.0.1:25' })).toThrow(/SES_MAIL_FROM/);
  });

  it('allows the portal origin: by default the query app itself, else SES_PORTAL_ORIGIN as a bare origin', () => {
    expect(loadConfig({ SES_QUERY_PORT: '4100' }).portal.origin).toBe('http://localhost:4100');
    expect(loadConfig({ SES_PORTAL_ORIGIN: 'https://portal.example.com/' }).portal.origin).toBe('https://portal.example.com');
    expect(() => loadConfig({ SES_PORTAL_ORIGIN: 'https://portal.example.com/portal/' })).toThrow(/SES_PORTAL_ORIGIN/);
    expect(() => loadConfig({ SES_PORTAL_ORIGIN: '*' })).toThrow(/SES_PORTAL_ORIGIN/);
  });
});
