import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { checksAddresses, type AttemptResult, type WebhookUrlPolicy } from '@ses/domain';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';

const MAX_ERROR_LENGTH = 300;

/**
 * POSTs webhook messages. Where the policy checks addresses (production), the connection
 * goes through request-filtering-agent: the host name is resolved when the socket
 * connects and every address it resolves to is checked before connecting, and the socket
 * connects to the address that was checked (no second lookup an attacker's DNS could
 * answer differently); an IP literal is checked as it is. Redirects are never followed
 * (node's http does not), so a 3xx is a failed attempt like any other non-2xx.
 * Connections are kept alive between attempts.
 */
export class WebhookHttp {
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;

  constructor(
    private readonly policy: WebhookUrlPolicy,
    private readonly timeoutMs: number,
  ) {
    const keepAlive = { keepAlive: true, maxFreeSockets: 4 };
    if (checksAddresses(policy)) {
      const refuse = { allowPrivateIPAddress: false, allowMetaIPAddress: false };
      this.httpAgent = new RequestFilteringHttpAgent({ ...keepAlive, ...refuse });
      this.httpsAgent = new RequestFilteringHttpsAgent({ ...keepAlive, ...refuse });
    } else {
      this.httpAgent = new HttpAgent(keepAlive);
      this.httpsAgent = new HttpsAgent(keepAlive);
    }
  }

  /** One attempt: a status when an answer came within the timeout, else what went wrong. */
  post(url: string, headers: Record<string, string>, body: string): Promise<AttemptResult> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return Promise.resolve({ answered: false, error: 'invalid URL' });
    }
    const https = target.protocol === 'https:';
    if (!https && (target.protocol !== 'http:' || this.policy.production)) {
      return Promise.resolve({ answered: false, error: `refused: ${target.protocol} URL${this.policy.production ? ' (https only in production)' : ''}` });
    }
    const payload = Buffer.from(body, 'utf8');
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: AttemptResult): void => {
        if (settled) return;
        settled = true;
        resolve(result);
      };
      const send = https ? httpsRequest : httpRequest;
      const req = send(target, {
        method: 'POST',
        agent: https ? this.httpsAgent : this.httpAgent,
        headers: { 'content-type': 'application/json', 'content-length': String(payload.length), 'user-agent': 'SES-Webhooks/1', ...headers },
      });
      // One deadline for the whole exchange: without an answer by then the attempt failed; a body still
      // arriving by then is cut off (the answer counted already), so no endpoint holds a socket for long.
      const timer = setTimeout(() => {
        req.destroy(new Error(`no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      req.on('close', () => clearTimeout(timer));
      req.on('response', (res: IncomingMessage) => {
        // The status is the answer; the body is read and dropped (so the connection can be reused) until the deadline.
        res.on('error', () => undefined);
        res.on('end', () => clearTimeout(timer));
        res.resume();
        finish({ answered: true, status: res.statusCode ?? 0 });
      });
      req.on('error', (error: Error) => {
        clearTimeout(timer);
        finish({ answered: false, error: error.message.slice(0, MAX_ERROR_LENGTH) });
      });
      req.end(payload);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
