import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { SendMailOptions, Transporter } from 'nodemailer';
import pLimit from 'p-limit';
import { AppConfig } from '@pavilion/config';
import { PermanentDeliveryError } from './errors';
import { SmtpSendRate } from './send-rate';

const SMTP_CONNECTIONS = 20;

export interface EmailMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  /** An iTIP message, sent as `text/calendar; method=…`. */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
  attachments?: { filename: string; contentType: string; content: Buffer }[];
  unsubscribeUrl?: string;
}

/** Email over SMTP with pooled connections (SMTP_URL), or .eml files under MAIL_DIR when no SMTP is configured. */
@Injectable()
export class EmailChannel implements OnModuleDestroy {
  private readonly logger = new Logger(EmailChannel.name);
  private readonly transport: Transporter;
  private readonly toFiles: boolean;
  // nodemailer builds a message when it is handed over: hand over only what the connections can take soon, so a
  // batch of hundreds does not hold hundreds of built messages waiting in the pool.
  private readonly inFlight = pLimit(2 * SMTP_CONNECTIONS);

  constructor(
    private readonly config: AppConfig,
    private readonly rate: SmtpSendRate,
  ) {
    this.toFiles = !config.smtpUrl;
    this.transport = config.smtpUrl
      ? nodemailer.createTransport({
          url: config.smtpUrl,
          pool: true,
          maxConnections: SMTP_CONNECTIONS,
          maxMessages: Infinity,
        })
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    if (this.toFiles) this.logger.log(`SMTP_URL is not set: emails are written to ${config.mailDir}/`);
  }

  /**
   * Sends the message `build` returns. It is built only when the connections can take it soon, so the texts of
   * a batch's later messages do not exist while its earlier ones are sent.
   */
  async send(build: () => EmailMessage): Promise<void> {
    try {
      const { id, info } = await this.inFlight(async () => {
        await this.rate.take();
        const message = build();
        return { id: message.id, info: await this.transport.sendMail(this.mail(message)) };
      });
      if (this.toFiles) {
        await mkdir(this.config.mailDir, { recursive: true });
        await writeFile(path.join(this.config.mailDir, `${id}.eml`), info.message as Buffer);
      }
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // 5xx replies (unknown mailbox, bad address) will not change on retry.
      if (code !== undefined && code >= 500 && code < 600)
        throw new PermanentDeliveryError(`SMTP ${code}: ${(error as Error).message}`);
      throw error;
    }
  }

  private mail(message: EmailMessage): SendMailOptions {
    return {
      from: this.config.mailFrom,
      to: message.to,
      subject: message.subject,
      text: message.text,
      messageId: `<${message.id}@pavilion>`,
      // RFC 8058 one-click: the mail client POSTs List-Unsubscribe=One-Click to the URL.
      headers: message.unsubscribeUrl
        ? {
            'List-Unsubscribe': `<${message.unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          }
        : undefined,
      icalEvent: message.calendar,
      attachments: message.attachments,
    };
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
