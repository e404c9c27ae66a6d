import { Inject, Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { hostToResolve, type WebhookUrlPolicy } from '@ses/domain';
import { SES_CONFIG, type SesConfig } from '@ses/platform';

const RESOLVE_TIMEOUT_MS = 5000;

/**
 * The facts a setWebhook decision needs from outside the domain: the URL policy of this
 * deployment and, where the policy checks addresses (production), every address the URL's
 * host name resolves to now. (Deliveries check again at every connection: see the query
 * app's webhook sender.)
 */
@Injectable()
export class WebhookUrlFacts {
  readonly policy: WebhookUrlPolicy;

  constructor(@Inject(SES_CONFIG) config: SesConfig) {
    this.policy = { production: config.production, allowPrivate: config.notifications.allowPrivateAddresses };
  }

  /** The addresses to check for `url` (empty when the host does not resolve, or when nothing needs resolving). */
  async resolvedAddresses(url: string): Promise<string[]> {
    const host = hostToResolve(url, this.policy);
    if (host === null) return [];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('DNS lookup timed out')), RESOLVE_TIMEOUT_MS);
    });
    try {
      const answers = await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
      return answers.map((answer) => answer.address);
    } catch {
      // Does not resolve (or not in time): the decision refuses the URL.
      return [];
    } finally {
      clearTimeout(timer);
    }
  }
}
