import { simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  receivedAt: number;
  messageId: string;
  hasCalendar: boolean;
  /** Every attachment and alternative that is not the text: its type with parameters, name and bytes. */
  parts: { contentType: string; filename?: string; content: Buffer }[];
  listUnsubscribe?: string;
  listUnsubscribePost?: string;
}

/** A real SMTP server for the test run that records what it receives and lets tests await messages. */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  private waiters: (() => void)[] = [];

  private constructor(private readonly server: SMTPServer) {}

  static async start(): Promise<SmtpSink> {
    const recorder: { sink?: SmtpSink } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      // A mailbox that does not exist: recipients whose address starts with `unknown-` get a permanent 550.
      onRcptTo(address, _session, callback) {
        if (!address.address.startsWith('unknown-')) return callback();
        callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
      },
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((mail) => {
            const to = session.envelope.rcptTo.map((r) => r.address).join(',');
            recorder.sink?.record({
              to,
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              receivedAt: Date.now(),
              messageId: mail.messageId ?? '',
              hasCalendar:
                (mail.attachments ?? []).some((a) => a.contentType.includes('calendar')) ||
                (mail.text ?? '').includes('BEGIN:VCALENDAR'),
              parts: (mail.attachments ?? []).map((a) => {
                const type = a.headers.get('content-type') as {
                  value: string;
                  params: Record<string, string>;
                };
                const params = Object.entries(type?.params ?? {}).map(([k, v]) => `; ${k}=${v}`);
                return {
                  contentType: type ? `${type.value}${params.join('')}` : a.contentType,
                  filename: a.filename,
                  content: a.content,
                };
              }),
              listUnsubscribe: mail.headerLines
                .find((h) => h.key === 'list-unsubscribe')
                ?.line.replace(/^list-unsubscribe:\s*/i, ''),
              listUnsubscribePost: mail.headerLines
                .find((h) => h.key === 'list-unsubscribe-post')
                ?.line.replace(/^list-unsubscribe-post:\s*/i, ''),
            });
            callback();
          })
          .catch(callback);
      },
    });
    const sink = new SmtpSink(server);
    recorder.sink = sink;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to === address);
  }

  /** Resolves once `ready()` holds for what has arrived; rejects after `timeoutMs`. */
  waitFor(
    ready: (messages: ReceivedMail[]) => boolean,
    timeoutMs = 30_000,
    what = 'messages',
  ): Promise<void> {
    if (ready(this.messages)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(
          new Error(
            `timed out waiting for ${what}; received ${this.messages.length}: ${this.messages
              .map((m) => `${m.to} ${m.subject}`)
              .slice(-5)
              .join(' | ')}`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        if (!ready(this.messages)) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(mail: ReceivedMail): void {
    this.messages.push(mail);
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Polls `probe` until it returns a value other than undefined (for state only the database can tell). */
export async function until<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
