// The reminder benchmark's SMTP sinks (in this process, or in one of its own) and its reference sender:
// nodemailer alone sending the messages the worker sends to the same sink.
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import nodemailer, { SendMailOptions, Transporter } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { Locale } from '@pavilion/core';
import { renderNotification } from '@pavilion/notifications';
import { SinkProcess } from './sink-client';

/** What a sink saw since its last reset. */
export interface Arrivals {
  messages: number;
  firstAt: number;
  lastAt: number;
  rate: number;
  distinctRecipients: number;
  duplicates: number;
}

/** The bench's view of a sink, in this process or in one of its own (bench/smtp-sink-process.ts). */
export interface Sink {
  count(): Promise<number>;
  reset(): Promise<void>;
  summary(): Promise<Arrivals>;
  close(): Promise<void>;
}

/** The sink in a process of its own. */
export class RemoteSink implements Sink {
  constructor(private readonly process: SinkProcess) {}
  async count(): Promise<number> {
    return (await this.process.count()).messages;
  }
  reset(): Promise<void> {
    return this.process.reset();
  }
  async summary(): Promise<Arrivals> {
    const s = await this.process.summary();
    return { ...s, firstAt: s.firstAt ?? NaN, lastAt: s.lastAt ?? NaN };
  }
  close(): Promise<void> {
    return this.process.close();
  }
}

/** An SMTP server that only counts: who received a message, and when. */
export class CountingSink implements Sink {
  readonly received: { to: string; at: number }[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onData: (stream, session, callback) => {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        const at = Date.now();
        for (const r of session.envelope.rcptTo) this.received.push({ to: r.address, at });
        callback();
      });
    },
  });

  /** Messages per second between the first and the last arrival: the same measure for both runs. */
  rate(): number {
    let first = Infinity;
    let last = -Infinity;
    for (const { at } of this.received) [first, last] = [Math.min(first, at), Math.max(last, at)];
    const span = (last - first) / 1000;
    return this.received.length / Math.max(0.001, span);
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  async count(): Promise<number> {
    return this.received.length;
  }

  async reset(): Promise<void> {
    this.received.length = 0;
  }

  async summary(): Promise<Arrivals> {
    const perRecipient = new Map<string, number>();
    for (const m of this.received) perRecipient.set(m.to, (perRecipient.get(m.to) ?? 0) + 1);
    let [firstAt, lastAt] = [Infinity, -Infinity];
    for (const { at } of this.received) [firstAt, lastAt] = [Math.min(firstAt, at), Math.max(lastAt, at)];
    return {
      messages: this.received.length,
      firstAt,
      lastAt,
      rate: this.rate(),
      distinctRecipients: perRecipient.size,
      duplicates: [...perRecipient.values()].reduce((total, n) => total + (n - 1), 0),
    };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export const ITEM = {
  title: 'Business energy — development energy',
  venueName: 'Bench venue',
  pavilionName: 'Bench pavilion',
  city: 'Bench city',
  spaceName: 'Congress hall',
};
export const LOCALES: Locale[] = ['en', 'ru', 'kk'];
/**
 * What nodemailer alone hands to the sink with pooled connections, for reference: the same messages the worker
 * sends (a reminder in the recipient's language with an unsubscribe link), built before the clock starts. One
 * transport serves every round, as the worker's does.
 */
export class Reference {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly sink: Sink,
  ) {
    this.transport = nodemailer.createTransport({
      url,
      pool: true,
      maxConnections: 20,
      maxMessages: Infinity,
    });
  }

  async warmUp(count: number): Promise<void> {
    await this.send(referenceMails(count));
    await until(async () => (await this.sink.count()) >= count, 60_000, 'the warm-up lost messages');
    await this.sink.reset();
  }

  async measure(count: number): Promise<Throughput> {
    const mails = referenceMails(count);
    await this.sink.reset();
    const cpu = process.cpuUsage();
    const elu = performance.eventLoopUtilization();
    await this.send(mails);
    const cpuMs = cpuMsSince(cpu);
    const busy = performance.eventLoopUtilization(elu).utilization;
    // A sink in another process may see the last message a moment after nodemailer's callback.
    await until(async () => (await this.sink.count()) >= count, 10_000, 'the reference run lost messages');
    const { rate } = await this.sink.summary();
    await this.sink.reset();
    return { rate, cpuUsPerMessage: (cpuMs * 1000) / count, busy };
  }

  close(): void {
    this.transport.close();
  }

  private async send(mails: SendMailOptions[]): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        while (next < mails.length) await this.transport.sendMail(mails[next++]);
      }),
    );
  }
}

/** The reference's messages: what the worker sends, in en, ru and kk in turn, with an unsubscribe link. */
export function referenceMails(count: number): SendMailOptions[] {
  const startsAt = new Date(Date.now() + 3600_000);
  return Array.from({ length: count }, (_, i) => {
    const unsubscribeUrl = `http://localhost:3000/api/notifications/unsubscribe?token=${randomUUID()}.${'x'.repeat(43)}`;
    const rendered = renderNotification({
      kind: 'reminder',
      locale: LOCALES[i % 3],
      recipientName: `Guest ${i}`,
      timezone: 'UTC',
      item: {
        ...ITEM,
        spaceName: `${ITEM.spaceName} 1`,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3600_000),
      },
      offsetMinutes: 1,
      unsubscribeUrl,
    });
    return {
      from: 'Pavilion <no-reply@pavilion.local>',
      to: `raw-${i}@bench.local`,
      subject: rendered.subject,
      text: rendered.text,
      messageId: `<${randomUUID()}@pavilion>`,
      headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>` },
    };
  });
}

export interface Throughput {
  rate: number;
  /** CPU time of this process (sender and sink together) per message, in microseconds. */
  cpuUsPerMessage: number;
  /** How busy the sending event loop was while it sent (0..1). */
  busy: number;
}

export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

export async function until(done: () => Promise<boolean>, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((r) => setTimeout(r, 20));
  }
}
