/**
 * Reminder benchmark: 20,000 confirmed registrants of one item, a reminder due in ~30 s, delivered by the real
 * worker to a local SMTP sink. Prints the first and last message's lateness against the due time, messages/s,
 * duplicates and missing; and, for reference, what nodemailer alone hands to the same sink.
 *
 *   npm run bench:reminders                      20,000 registrants
 *   options: --registrants N  --lead-seconds N  --workers N
 */
import { INestApplicationContext } from '@nestjs/common';
import Redis from 'ioredis';
import { DateTime } from 'luxon';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import nodemailer, { SendMailOptions } from 'nodemailer';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '@pavilion/config';
import { Locale, renderNotification } from '@pavilion/notifications';
import { ensureDatabase, runMigrations } from '@pavilion/database';
import { createWorker } from '../apps/worker/src/bootstrap';
import { migrations } from '../migrations';

interface Options {
  registrants: number;
  leadSeconds: number;
  workers: number;
}

function parseOptions(argv: string[]): Options {
  const number = (flag: string, fallback: number): number => {
    const at = argv.indexOf(flag);
    if (at < 0) return fallback;
    const value = Number(argv[at + 1]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a positive integer`);
    return value;
  };
  const options = {
    registrants: number('--registrants', 20_000),
    leadSeconds: number('--lead-seconds', 30),
    workers: number('--workers', 1),
  };
  if (options.leadSeconds < WARM_UP_SECONDS_BEFORE + 5)
    throw new Error(
      `--lead-seconds must be at least ${WARM_UP_SECONDS_BEFORE + 5}: the warm-up reminder comes first`,
    );
  return options;
}

/** An SMTP server that only counts: who received a message, and when. */
class CountingSink {
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

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const ITEM = {
  title: 'Business energy — development energy',
  venueName: 'Bench venue',
  pavilionName: 'Bench pavilion',
  spaceName: 'Congress hall',
};
const LOCALES: Locale[] = ['en', 'ru', 'kk'];
/** Both runs are warmed up with this many messages first: nodemailer alone, and the worker with a reminder of its own. */
const WARM_UP = 2000;
/** The worker's warm-up reminder is due this long before the measured one. */
const WARM_UP_SECONDS_BEFORE = 8;

/**
 * What nodemailer alone hands to the sink with pooled connections, for reference: the same messages the worker
 * sends (a reminder in the recipient's language with an unsubscribe link), built before the clock starts.
 */
async function rawNodemailer(
  url: string,
  sink: CountingSink,
  warmUp: number,
  count: number,
): Promise<Throughput> {
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 20,
    maxMessages: Infinity,
  });
  const send = async (mails: SendMailOptions[]): Promise<void> => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        while (next < mails.length) await transport.sendMail(mails[next++]);
      }),
    );
  };
  await send(referenceMails(warmUp));
  const mails = referenceMails(count);
  sink.received.length = 0;
  const cpu = process.cpuUsage();
  await send(mails);
  const cpuMs = cpuMsSince(cpu);
  transport.close();
  if (sink.received.length !== count) throw new Error('the raw run lost messages');
  return { rate: sink.rate(), cpuUsPerMessage: (cpuMs * 1000) / count };
}

/** The reference's messages: what the worker sends, in en, ru and kk in turn, with an unsubscribe link. */
function referenceMails(count: number): SendMailOptions[] {
  const startsAt = new Date(Date.now() + 3600_000);
  return Array.from({ length: count }, (_, i) => {
    const unsubscribeUrl = `http://localhost:3000/api/notifications/unsubscribe?token=${randomUUID()}.${'x'.repeat(43)}`;
    const rendered = renderNotification({
      kind: 'reminder',
      locale: LOCALES[i % 3],
      recipientName: `Guest ${i}`,
      timezone: 'UTC',
      item: { ...ITEM, startsAt, endsAt: new Date(startsAt.getTime() + 3600_000) },
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

interface Throughput {
  rate: number;
  /** CPU time of this process (sender and sink together) per message, in microseconds. */
  cpuUsPerMessage: number;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const stamp = Date.now();
  const url = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/pavilion_bench_reminders_${stamp}`;
  const databaseUrl = url.toString();
  const prefix = `pavilion-bench-reminders-${stamp}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const sink = new CountingSink();
  const smtpUrl = await sink.start();
  const workers: INestApplicationContext[] = [];
  const db = new Client({ connectionString: databaseUrl });

  try {
    await ensureDatabase(databaseUrl);
    await runMigrations(databaseUrl, migrations, 'up');
    await db.connect();
    const [{ version }] = (await db.query('SELECT version()')).rows;

    // A warm-up first, then as many messages as the worker will send, so both rates cover the same amount of work.
    const raw = await rawNodemailer(smtpUrl, sink, WARM_UP, options.registrants);
    // The worker's run should not pay for collecting the reference run's garbage (node --expose-gc).
    (globalThis as { gc?: () => void }).gc?.();
    sink.received.length = 0;

    // One venue, a pavilion open round the clock, a hall, a published programme with a 1-minute reminder.
    const zone = 'UTC';
    const startsAt = new Date(Math.ceil((Date.now() + 60_000 + options.leadSeconds * 1000) / 1000) * 1000);
    const dueAt = startsAt.getTime() - 60_000;
    const today = DateTime.fromJSDate(startsAt, { zone }).toISODate();
    const { rows } = await db.query(
      `WITH v AS (INSERT INTO venues (name, city, country, timezone) VALUES ('Bench venue', 'Astana', 'Kazakhstan', $1) RETURNING id),
            pv AS (INSERT INTO pavilions (venue_id, name) SELECT id, 'Bench pavilion' FROM v RETURNING id),
            oh AS (INSERT INTO opening_hours (pavilion_id, weekday, opens_minute, closes_minute) SELECT pv.id, d, 0, 1440 FROM pv, generate_series(1, 7) d),
            s AS (INSERT INTO spaces (pavilion_id, name, capacity, kind) SELECT id, 'Congress hall', $2, 'hall' FROM pv RETURNING id),
            o AS (INSERT INTO organizations (name) VALUES ('Bench organization') RETURNING id),
            p AS (INSERT INTO programmes (organization_id, pavilion_id, title, starts_on, ends_on, reminder_offsets_minutes, status, published_at)
                  SELECT o.id, pv.id, 'Bench programme', $3::date, $3::date + 1, '{1}', 'published', now() FROM o, pv RETURNING id)
       INSERT INTO programme_items (programme_id, space_id, type, title, starts_at, ends_at, capacity)
       SELECT p.id, s.id, 'business_forum', $5, $4, $4::timestamptz + interval '1 hour', $2 FROM p, s
       RETURNING id`,
      [zone, options.registrants + 1, today, startsAt, ITEM.title],
    );
    const itemId: string = rows[0].id;
    await db.query(
      `WITH crowd AS (
         INSERT INTO users (email, password_hash, display_name, calendar_feed_token, locale)
         SELECT 'guest-' || g || '@bench.local', 'unused', 'Guest ' || g, md5(random()::text) || g, (ARRAY['en','ru','kk'])[1 + g % 3]
           FROM generate_series(1, $2::int) g RETURNING id)
       INSERT INTO registrations (item_id, user_id, status, check_in_code)
       SELECT $1, id, 'confirmed', upper(lpad(to_hex(row_number() OVER ()), 8, '0')) FROM crowd`,
      [itemId, options.registrants],
    );
    // One more registrant (email off) whose outbox event makes the worker schedule the reminder, as a registration does.
    await db.query(
      `WITH u AS (INSERT INTO users (email, password_hash, display_name, calendar_feed_token, notification_preferences)
                  VALUES ('trigger@bench.local', 'unused', 'Trigger', md5(random()::text), '{"email": false, "reminders": true}') RETURNING id),
            r AS (INSERT INTO registrations (item_id, user_id, status, check_in_code) SELECT $1, id, 'confirmed', 'TRIGGER1' FROM u RETURNING id, user_id)
       INSERT INTO outbox (kind, item_id, registration_id, user_id) SELECT 'registration_confirmed', $1, r.id, r.user_id FROM r`,
      [itemId],
    );
    await db.query('UPDATE programme_items SET confirmed_count = $2 WHERE id = $1', [
      itemId,
      options.registrants + 1,
    ]);
    // The warm-up: a round table in another hall whose reminder, due a few seconds earlier, goes to the first
    // WARM_UP of the crowd (and the trigger registrant), so the measured reminder finds the worker warm, as in service.
    const warmUpStartsAt = new Date(startsAt.getTime() - WARM_UP_SECONDS_BEFORE * 1000);
    await db.query(
      `WITH s AS (INSERT INTO spaces (pavilion_id, name, capacity, kind)
                  SELECT pavilion_id, 'Press hall', $2, 'hall' FROM spaces WHERE id = (SELECT space_id FROM programme_items WHERE id = $1)
                  RETURNING id),
            w AS (INSERT INTO programme_items (programme_id, space_id, type, title, starts_at, ends_at, capacity, confirmed_count)
                  SELECT i.programme_id, s.id, 'round_table', 'Warm-up round table', $3, $3::timestamptz + interval '1 hour', $2, $2
                    FROM programme_items i, s WHERE i.id = $1 RETURNING id),
            r AS (INSERT INTO registrations (item_id, user_id, status, check_in_code)
                  SELECT w.id, u.id, 'confirmed', upper(lpad(to_hex(row_number() OVER ()), 8, '0'))
                    FROM w, (SELECT id FROM users WHERE email LIKE 'guest-%' OR email = 'trigger@bench.local'
                              ORDER BY email = 'trigger@bench.local' DESC, id LIMIT $2) u
                  RETURNING item_id, id, user_id)
       INSERT INTO outbox (kind, item_id, registration_id, user_id)
       SELECT 'registration_confirmed', r.item_id, r.id, r.user_id FROM r JOIN users u ON u.id = r.user_id
        WHERE u.email = 'trigger@bench.local'`,
      [itemId, WARM_UP + 1, warmUpStartsAt],
    );

    const env = {
      ...process.env,
      NODE_ENV: 'production',
      JWT_SECRET: 'pavilion-bench-secret-that-is-long-enough-for-hs256',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      SMTP_URL: smtpUrl,
      WORKER_PORT: '0',
      LOG_LEVEL: 'warn',
      RELAY_INTERVAL_MS: '200',
    };
    for (let i = 0; i < options.workers; i++) workers.push(await createWorker(loadConfig(env)));
    const warmUpDeadline = Date.now() + 120_000;
    while (sink.received.length < WARM_UP && Date.now() < warmUpDeadline)
      await new Promise((r) => setTimeout(r, 100));
    if (sink.received.length < WARM_UP) throw new Error('the warm-up reminder did not arrive');
    sink.received.length = 0;
    const cpu = process.cpuUsage();
    console.log(
      `${options.registrants} registrants; reminder due at ${new Date(dueAt).toISOString()} (${Math.round((dueAt - Date.now()) / 1000)} s from now)`,
    );

    const deadline = dueAt + 10 * 60_000;
    while (sink.received.length < options.registrants && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    // Scheduling, fan-out, sending and the sink: everything this process did for the reminder.
    const cpuUsPerMessage = (cpuMsSince(cpu) * 1000) / options.registrants;
    // Let anything extra (a duplicate) arrive before counting.
    await new Promise((r) => setTimeout(r, 2000));

    const times = sink.received.map((m) => m.at).sort((a, b) => a - b);
    const [fanout] = (
      await db.query(
        `SELECT extract(epoch FROM min(created_at)) * 1000 AS first, extract(epoch FROM max(created_at)) * 1000 AS last
           FROM deliveries WHERE kind = 'reminder' AND item_id = $1`,
        [itemId],
      )
    ).rows;
    const perRecipient = new Map<string, number>();
    for (const m of sink.received) perRecipient.set(m.to, (perRecipient.get(m.to) ?? 0) + 1);
    const duplicates = [...perRecipient.values()].reduce((sum, n) => sum + (n - 1), 0);
    const missing = options.registrants - perRecipient.size;
    const first = times[0] - dueAt;
    const last = times[times.length - 1] - dueAt;
    const rate = sink.rate();

    const cpus = os.cpus();
    console.log(
      [
        '',
        `machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
        `database: ${String(version).split(' on ')[0]}`,
        `workers: ${options.workers} (in this process, with the SMTP sink)`,
        `raw nodemailer to the same sink: ${raw.rate.toFixed(0)} messages/s`,
        `delivered: ${sink.received.length} emails to ${perRecipient.size} recipients`,
        `fan-out wrote the ledger from ${((fanout.first - dueAt) / 1000).toFixed(3)} s to ${((fanout.last - dueAt) / 1000).toFixed(3)} s of the due time`,
        `first message: ${(first / 1000).toFixed(3)} s after the due time`,
        `last message: ${(last / 1000).toFixed(3)} s after the due time`,
        `rate: ${rate.toFixed(0)} messages/s (${(rate / raw.rate).toFixed(2)} × raw nodemailer)`,
        `CPU per message: ${cpuUsPerMessage.toFixed(0)} µs (raw nodemailer: ${raw.cpuUsPerMessage.toFixed(0)} µs)`,
        `duplicates: ${duplicates}, missing: ${missing}`,
      ].join('\n'),
    );
    if (duplicates !== 0 || missing !== 0) process.exitCode = 1;
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await sink.close();
    await db.end().catch(() => undefined);
    const admin = new Client({ connectionString: databaseUrl.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "pavilion_bench_reminders_${stamp}" WITH (FORCE)`);
    await admin.end();
    const redis = new Redis(redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
