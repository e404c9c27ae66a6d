import { EVENT_TYPES } from '@ses/events';
import { isPublicAddress } from './webhook-addresses';
import { afterAttempt, DEFAULT_RETRY_SCHEDULE_SECONDS, parseRetrySchedule } from './retry-schedule';
import { hostToResolve, webhookUrlProblem } from './webhook-url';
import { isWebhookEventType, webhookEventTypes } from './webhook-event-types';

describe('addresses a production webhook may reach', () => {
  it.each([
    ['IPv4 loopback', '127.0.0.1'],
    ['loopback elsewhere in 127/8', '127.8.9.10'],
    ['private 10/8', '10.0.0.1'],
    ['private 172.16/12', '172.31.255.254'],
    ['private 192.168/16', '192.168.1.1'],
    ['link-local (cloud metadata)', '169.254.169.254'],
    ['carrier-grade NAT (Alibaba metadata)', '100.100.100.200'],
    ['unspecified', '0.0.0.0'],
    ['this network', '0.1.2.3'],
    ['broadcast', '255.255.255.255'],
    ['multicast', '224.0.0.1'],
    ['documentation', '192.0.2.10'],
    ['reserved 240/4', '240.0.0.1'],
    ['IPv6 loopback', '::1'],
    ['IPv6 unspecified', '::'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv6 unique-local (AWS metadata)', 'fd00:ec2::254'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
    ['IPv4-mapped public (refused too: the connection rule refuses mapped forms)', '::ffff:93.184.216.34'],
    ['NAT64 of loopback', '64:ff9b::7f00:1'],
    ['bracketed IPv6 loopback', '[::1]'],
    ['not an address', 'localhost'],
  ])('refuses %s (%s)', (_, address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '[2a00:1450:4001:82b::200e]'])('allows the public address %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('webhook URLs', () => {
  const production = { production: true, allowPrivate: false };
  const development = { production: false, allowPrivate: false };

  it('names the host to resolve only where addresses are checked and the host is a name', () => {
    expect(hostToResolve('https://hooks.example.com/x', production)).toBe('hooks.example.com');
    expect(hostToResolve('https://93.184.216.34/x', production)).toBeNull();
    expect(hostToResolve('https://hooks.example.com/x', development)).toBeNull();
    expect(hostToResolve('https://hooks.example.com/x', { production: true, allowPrivate: true })).toBeNull();
    expect(hostToResolve('not a url', production)).toBeNull();
  });

  it('in production refuses a name that resolves to loopback (localhost) and one that does not resolve', () => {
    expect(webhookUrlProblem('https://localhost/x', production, ['127.0.0.1', '::1'])).toMatch(/public/);
    expect(webhookUrlProblem('https://nowhere.invalid/x', production, [])).toMatch(/resolves/);
    expect(webhookUrlProblem('https://hooks.example.com/x', production, ['2606:4700:4700::1111'])).toBeNull();
  });

  it('outside production accepts http to loopback and refuses other schemes', () => {
    expect(webhookUrlProblem('http://127.0.0.1:4567/hook', development)).toBeNull();
    expect(webhookUrlProblem('http://localhost:4567/hook', development)).toBeNull();
    expect(webhookUrlProblem('file:///etc/passwd', development)).toMatch(/http/);
    expect(webhookUrlProblem('javascript:alert(1)', development)).toMatch(/http/);
  });

  it('sees through numeric host spellings (the URL parser normalises them to dotted decimal)', () => {
    expect(webhookUrlProblem('https://2130706433/', production)).toMatch(/public/);
    expect(webhookUrlProblem('https://0177.0.0.1/', production)).toMatch(/public/);
  });
});

describe('event types a webhook may list', () => {
  it('are the catalogue less its service-internal email reservations', () => {
    expect(webhookEventTypes()).toEqual(EVENT_TYPES.filter((t) => t !== 'EmailReserved' && t !== 'EmailReleased'));
    expect(isWebhookEventType('AlertRaised')).toBe(true);
    expect(isWebhookEventType('WebhookSet')).toBe(true);
    expect(isWebhookEventType('EmailReleased')).toBe(false);
    expect(isWebhookEventType('alertraised')).toBe(false);
    expect(isWebhookEventType('constructor')).toBe(false);
  });
});

describe('retry schedule', () => {
  it('defaults to 5 s, 1 min, 10 min, 1 h, 6 h, 24 h', () => {
    expect(DEFAULT_RETRY_SCHEDULE_SECONDS).toEqual([5, 60, 600, 3600, 21600, 86400]);
    expect(parseRetrySchedule(undefined)).toEqual({ ok: true, seconds: [5, 60, 600, 3600, 21600, 86400] });
    expect(parseRetrySchedule('  ')).toEqual({ ok: true, seconds: [5, 60, 600, 3600, 21600, 86400] });
  });

  it('reads comma-separated seconds, fractions included', () => {
    expect(parseRetrySchedule('1, 2,0.25')).toEqual({ ok: true, seconds: [1, 2, 0.25] });
    expect(parseRetrySchedule('0')).toEqual({ ok: true, seconds: [0] });
  });

  it.each(['1,,2', '-1', 'abc', '1e3', '5s', String(31 * 24 * 3600), Array.from({ length: 51 }, () => '1').join(',')])('refuses "%s"', (text) => {
    expect(parseRetrySchedule(text).ok).toBe(false);
  });

  const schedule = [5, 60, 600];
  const now = '2026-03-01T10:00:00.000Z';

  it('a 2xx answer delivers, whatever the attempt', () => {
    expect(afterAttempt({ answered: true, status: 200 }, 1, schedule, now)).toEqual({ status: 'DELIVERED' });
    expect(afterAttempt({ answered: true, status: 204 }, 4, schedule, now)).toEqual({ status: 'DELIVERED' });
  });

  it('a failed attempt waits the next delay of the schedule', () => {
    expect(afterAttempt({ answered: true, status: 500 }, 1, schedule, now)).toEqual({ status: 'PENDING', nextAttemptAt: '2026-03-01T10:00:05.000Z' });
    expect(afterAttempt({ answered: false, error: 'timeout' }, 2, schedule, now)).toEqual({ status: 'PENDING', nextAttemptAt: '2026-03-01T10:01:00.000Z' });
    expect(afterAttempt({ answered: true, status: 302 }, 3, schedule, now)).toEqual({ status: 'PENDING', nextAttemptAt: '2026-03-01T10:10:00.000Z' });
  });

  it('fails after the last retry: one first attempt and one per delay', () => {
    expect(afterAttempt({ answered: true, status: 503 }, 4, schedule, now)).toEqual({ status: 'FAILED', gone: false });
    expect(afterAttempt({ answered: true, status: 503 }, 1, [], now)).toEqual({ status: 'FAILED', gone: false });
  });

  it('410 Gone fails at once and says the endpoint is gone', () => {
    expect(afterAttempt({ answered: true, status: 410 }, 1, schedule, now)).toEqual({ status: 'FAILED', gone: true });
  });
});
