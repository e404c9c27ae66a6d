import { createTransport, type Transporter } from 'nodemailer';
import type { AttemptResult } from '@ses/domain';

export interface OutgoingMail {
  /** Stable across attempts: the Message-ID, so a receiving system can drop a duplicate. */
  id: string;
  to: string[];
  subject: string;
  text: string;
}

/** Sends mail through nodemailer's SMTP transport (pooled connection, bounded waits). */
export class MailTransport {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    timeoutMs: number,
  ) {
    this.transport = createTransport({
      url: smtpUrl,
      pool: true,
      maxConnections: 2,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs * 3,
    });
  }

  async send(mail: OutgoingMail): Promise<AttemptResult> {
    try {
      await this.transport.sendMail({
        from: this.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: `<${mail.id}@ses.notifications>`,
      });
      return { answered: true, status: 250 };
    } catch (error) {
      return { answered: false, error: (error instanceof Error ? error.message : String(error)).slice(0, 300) };
    }
  }

  close(): void {
    this.transport.close();
  }
}
