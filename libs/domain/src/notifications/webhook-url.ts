import { LIMITS } from '../shared/validation';
import { isIpLiteral, isPublicAddress } from './webhook-addresses';

/**
 * Which webhook URLs are accepted (contract extension "notifications", "Refused addresses"):
 * in production (NODE_ENV=production) https only, and the host must not be or resolve to a
 * non-public address unless SES_WEBHOOK_ALLOW_PRIVATE=true; outside production http and
 * loopback are allowed (tests use them). The https rule holds in production either way.
 */
export interface WebhookUrlPolicy {
  production: boolean;
  allowPrivate: boolean;
}

/** Whether addresses must be checked at all under this policy (set time and every delivery). */
export const checksAddresses = (policy: WebhookUrlPolicy): boolean => policy.production && !policy.allowPrivate;

/** The host name the shell must resolve for `checkWebhookUrl`, or null when none needs resolving (no check, an IP literal, or no valid URL). */
export function hostToResolve(url: string, policy: WebhookUrlPolicy): string | null {
  if (!checksAddresses(policy)) return null;
  const parsed = parseUrl(url);
  if (!parsed || isIpLiteral(parsed.hostname)) return null;
  return parsed.hostname;
}

/**
 * The problem with a webhook URL under `policy`, or null when it is acceptable.
 * `resolvedAddresses`: what the URL's host name resolved to when checked (the shell resolves
 * `hostToResolve(url)`; empty when it did not resolve). An IP literal is checked itself.
 */
export function webhookUrlProblem(url: string, policy: WebhookUrlPolicy, resolvedAddresses: readonly string[] = []): string | null {
  if (url.length > LIMITS.webhookUrl) return `at most ${LIMITS.webhookUrl} characters`;
  const parsed = parseUrl(url);
  if (!parsed) return 'an absolute http(s) URL';
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'an http(s) URL';
  if (policy.production && parsed.protocol !== 'https:') return 'an https URL (http is refused in production)';
  // Credentials would be stored in the events, which auditors read: receivers verify signatures instead.
  if (parsed.username || parsed.password) return 'a URL without user name or password';
  if (!parsed.hostname) return 'a URL with a host';
  if (!checksAddresses(policy)) return null;
  if (isIpLiteral(parsed.hostname))
    return isPublicAddress(parsed.hostname) ? null : 'a public address (loopback, private, link-local and other non-public addresses are refused)';
  if (resolvedAddresses.length === 0) return 'a host name that resolves';
  if (!resolvedAddresses.every(isPublicAddress))
    return 'a host that resolves to public addresses only (loopback, private, link-local and other non-public addresses are refused)';
  return null;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
