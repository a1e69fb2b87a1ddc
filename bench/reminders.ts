/**
 * Reminder benchmark: 20,000 confirmed registrants of one item, a reminder due in ~30 s, delivered by the real
 * worker to a local SMTP sink. Prints when the first and last message arrived against the due time, messages/s,
 * duplicates and missing; and, for reference, what nodemailer alone hands to the same sink right before and right
 * after. Runs several rounds (reference, reminder, reference, reminder, …, reference) and compares each reminder with
 * the mean of the references on its two sides, then reports the median, as single runs vary by about ±8%.
 *
 *   npm run bench:reminders                      20,000 registrants, 3 rounds
 *   options: --registrants N  --lead-seconds N  --workers N  --rounds N
 *            --worker-processes N   the worker as `npm start` runs it, WORKER_PROCESSES=N, in processes of its own
 *            --sink-process   the SMTP sink in a process of its own (default: in this process, beside the worker)
 *            --smtp-max-per-second N   the worker under SMTP_MAX_PER_SECOND=N: its plan (how early the letters
 *                                      start, how late the last is planned) and when they arrived; no warm-up
 *            --cpu-profile FILE   a CPU profile of this process from the first round's reminder until it is sent
 */
import Redis from 'ioredis';
import { DateTime } from 'luxon';
import os from 'node:os';
import { EventLoopUtilization, performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { AppConfig, loadConfig } from '@pavilion/config';
import { fanoutLeadMs, sendPlan } from '@pavilion/notifications';
import { ensureDatabase, runMigrations } from '@pavilion/database';
import { CountingSink, ITEM, Reference, RemoteSink, Sink, Throughput, until } from './reminder-sinks';
import { SinkProcess } from './sink-client';
import { profileWindow } from './cpu-profile-window';
import { CpuMeter, CpuWindow } from './cpu-meter';
import { startWorkers, Workers } from './reminder-workers';
import { migrations } from '../migrations';

interface Options {
  sinkProcess: boolean;
  smtpMaxPerSecond?: number;
  registrants: number;
  leadSeconds: number;
  workers: number;
  workerProcesses?: number;
  rounds: number;
  cpuProfile?: string;
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
    sinkProcess: argv.includes('--sink-process'),
    smtpMaxPerSecond: argv.includes('--smtp-max-per-second') ? number('--smtp-max-per-second', 1) : undefined,
    cpuProfile: argv.includes('--cpu-profile') ? argv[argv.indexOf('--cpu-profile') + 1] : undefined,
    registrants: number('--registrants', 20_000),
    leadSeconds: number('--lead-seconds', 30),
    workers: number('--workers', 1),
    workerProcesses: argv.includes('--worker-processes') ? number('--worker-processes', 1) : undefined,
    rounds: number('--rounds', 3),
  };
  if (options.leadSeconds < WARM_UP_SECONDS_BEFORE + 5)
    throw new Error(
      `--lead-seconds must be at least ${WARM_UP_SECONDS_BEFORE + 5}: the warm-up reminder comes first`,
    );
  return options;
}

/** Both runs are warmed up with this many messages first: nodemailer alone, and the worker with a reminder of its own. */
const WARM_UP = 2000;
/** The worker's warm-up reminder is due this long before the measured one. */
const WARM_UP_SECONDS_BEFORE = 8;

interface Round {
  /** The reference, measured right before this round's reminder and right after it was sent. */
  raw: { before: Throughput; after: Throughput };
  /** Seconds from the due time: when the fan-out wrote the first and last ledger row, and the first and last arrival. */
  fanout: { first: number; last: number };
  first: number;
  last: number;
  rate: number;
  cpuUsPerMessage: number;
  /** How busy the worker's event loop was from the first letter to the last (0..1). */
  busy: number;
  /** From the first letter to the last: PostgreSQL's CPU per message (µs) and how busy the whole machine was. */
  sending: { postgresUsPerMessage: number; machineBusy: number };
  delivered: number;
  duplicates: number;
  missing: number;
}

interface Programme {
  programmeId: string;
  pavilionId: string;
}

const ZONES = ['UTC', 'Asia/Almaty', 'America/New_York', 'Asia/Tokyo'];

/** A venue open round the clock, a published programme with a 1-minute reminder, the crowd, and the trigger. */
async function createProgramme(db: Client, registrants: number): Promise<Programme> {
  // A zone whose day has hours left: an item must fit within one day's opening hours, so one that starts in a
  // minute or two and lasts an hour cannot start at 23:30 there.
  const zone = ZONES.find((z) => DateTime.now().setZone(z).hour < 20) ?? 'UTC';
  const today = DateTime.now().setZone(zone).toISODate();
  const { rows } = await db.query(
    `WITH v AS (INSERT INTO venues (name, city, country, timezone) VALUES ($1, 'Astana', 'Kazakhstan', $2) RETURNING id),
          pv AS (INSERT INTO pavilions (venue_id, name) SELECT id, $3 FROM v RETURNING id),
          oh AS (INSERT INTO opening_hours (pavilion_id, weekday, opens_minute, closes_minute) SELECT pv.id, d, 0, 1440 FROM pv, generate_series(1, 7) d),
          o AS (INSERT INTO organizations (name) VALUES ('Bench organization') RETURNING id)
     INSERT INTO programmes (organization_id, pavilion_id, title, starts_on, ends_on, reminder_offsets_minutes, status, published_at)
     SELECT o.id, pv.id, 'Bench programme', $4::date, $4::date + 2, '{1}', 'published', now() FROM o, pv
     RETURNING id AS "programmeId", pavilion_id AS "pavilionId"`,
    [ITEM.venueName, zone, ITEM.pavilionName, today],
  );
  await db.query(
    `INSERT INTO users (email, password_hash, display_name, calendar_feed_token, locale)
     SELECT 'guest-' || g || '@bench.local', 'unused', 'Guest ' || g, md5(random()::text) || g, (ARRAY['en','ru','kk'])[1 + g % 3]
       FROM generate_series(1, $1::int) g`,
    [registrants],
  );
  // One more registrant (email off) whose outbox event makes the worker schedule each reminder, as a registration does.
  await db.query(
    `INSERT INTO users (email, password_hash, display_name, calendar_feed_token, notification_preferences)
     VALUES ('trigger@bench.local', 'unused', 'Trigger', md5(random()::text), '{"email": false, "reminders": true}')`,
  );
  return rows[0] as Programme;
}

/** An item in a hall of its own, the first `registrants` of the crowd confirmed, and the trigger's outbox event. */
async function createItem(
  db: Client,
  programme: Programme,
  hall: string,
  title: string,
  startsAt: Date,
  registrants: number,
): Promise<string> {
  const { rows } = await db.query(
    `WITH s AS (INSERT INTO spaces (pavilion_id, name, capacity, kind) VALUES ($2, $3, $6::int + 1, 'hall') RETURNING id),
          i AS (INSERT INTO programme_items (programme_id, space_id, type, title, starts_at, ends_at, capacity, confirmed_count)
                SELECT $1, s.id, 'business_forum', $4, $5, $5::timestamptz + interval '1 hour', $6::int + 1, $6::int + 1 FROM s
                RETURNING id),
          r AS (INSERT INTO registrations (item_id, user_id, status, check_in_code)
                SELECT i.id, u.id, 'confirmed', upper(lpad(to_hex(row_number() OVER ()), 8, '0'))
                  FROM i, (SELECT id FROM users WHERE email = 'trigger@bench.local'
                           UNION ALL (SELECT id FROM users WHERE email LIKE 'guest-%' ORDER BY id LIMIT $6)) u
                RETURNING item_id, id, user_id),
          t AS (INSERT INTO outbox (kind, item_id, registration_id, user_id)
                SELECT 'registration_confirmed', r.item_id, r.id, r.user_id FROM r JOIN users u ON u.id = r.user_id
                 WHERE u.email = 'trigger@bench.local')
     SELECT id FROM i`,
    [programme.programmeId, programme.pavilionId, hall, title, startsAt, registrants],
  );
  return rows[0].id as string;
}

async function summarise(
  db: Client,
  sink: Sink,
  itemId: string,
  dueAt: number,
  registrants: number,
  cpuUsPerMessage: number,
  busy: number,
  sending: CpuWindow,
): Promise<Omit<Round, 'raw'>> {
  const arrivals = await sink.summary();
  const [fanout] = (
    await db.query(
      `SELECT extract(epoch FROM min(created_at)) * 1000 AS first, extract(epoch FROM max(created_at)) * 1000 AS last
         FROM deliveries WHERE kind = 'reminder' AND item_id = $1 AND channel = 'email'`,
      [itemId],
    )
  ).rows;
  return {
    fanout: { first: (fanout.first - dueAt) / 1000, last: (fanout.last - dueAt) / 1000 },
    first: (arrivals.firstAt - dueAt) / 1000,
    last: (arrivals.lastAt - dueAt) / 1000,
    rate: arrivals.rate,
    cpuUsPerMessage,
    busy,
    sending: {
      postgresUsPerMessage: (sending.groups.postgres * 1000) / Math.max(1, arrivals.messages),
      machineBusy: sending.utilisation,
    },
    delivered: arrivals.messages,
    duplicates: arrivals.duplicates,
    missing: registrants - arrivals.distinctRecipients,
  };
}

/** Seconds from the due time, in words: "1.250 s before the due time". */
function fromDue(seconds: number): string {
  return `${Math.abs(seconds).toFixed(3)} s ${seconds < 0 ? 'before' : 'after'} the due time`;
}

/**
 * The reference's rate for a round: the mean of its runs right before and right after the reminder. The machine's
 * speed drifts over minutes (a reference alone varied 1,670–2,235 messages/s within one ten-minute sitting), so a
 * reference on one side only compares the worker with another moment of the machine.
 */
function referenceRate(r: Round): number {
  return (r.raw.before.rate + r.raw.after.rate) / 2;
}

function describe(round: number, r: Round): string {
  return [
    '',
    `round ${round}`,
    `  raw nodemailer to the same sink: ${r.raw.before.rate.toFixed(0)} messages/s before the reminder, ${r.raw.after.rate.toFixed(0)} after: ${referenceRate(r).toFixed(0)} on average`,
    // The fan-out writes each person's e-mail row; the in-app notice it carries is written as the letter is sent.
    `  fan-out wrote the ledger from ${fromDue(r.fanout.first)} to ${fromDue(r.fanout.last)}`,
    `  first message: ${fromDue(r.first)}`,
    `  last message: ${fromDue(r.last)}`,
    `  rate: ${r.rate.toFixed(0)} messages/s (${(r.rate / referenceRate(r)).toFixed(2)} × raw nodemailer)`,
    `  CPU per message: ${r.cpuUsPerMessage.toFixed(0)} µs (raw nodemailer: ${r.raw.before.cpuUsPerMessage.toFixed(0)} and ${r.raw.after.cpuUsPerMessage.toFixed(0)} µs)`,
    `  event loop busy while sending: ${Number.isNaN(r.busy) ? 'not measured (the worker runs in processes of its own)' : `${(r.busy * 100).toFixed(0)}%`} (raw nodemailer: ${(r.raw.before.busy * 100).toFixed(0)}% and ${(r.raw.after.busy * 100).toFixed(0)}%)`,
    `  while sending: PostgreSQL ${r.sending.postgresUsPerMessage.toFixed(0)} µs of CPU per message; the machine ${(r.sending.machineBusy * 100).toFixed(0)}% busy`,
    `  delivered: ${r.delivered}; duplicates: ${r.duplicates}, missing: ${r.missing}`,
  ].join('\n');
}

/**
 * What the worker plans under the cap for a reminder to `registrants` (the item holds one seat more, the
 * trigger's, who takes no e-mail): when its fan-out fires, when the first letter goes, when the cap has let the
 * last through, and how late that is.
 */
function describePlan(dueAt: number, registrants: number, config: AppConfig): string {
  const cap = { perSecond: config.smtpMaxPerSecond, maxEarlyMs: config.reminderMaxEarlyMs };
  const firesAt = dueAt - fanoutLeadMs(1, registrants + 1, cap);
  const plan = sendPlan(dueAt, firesAt, 1, registrants, cap);
  return [
    `  plan at SMTP_MAX_PER_SECOND=${cap.perSecond}: the fan-out fires ${fromDue((firesAt - dueAt) / 1000)}`,
    `  the first letter is released ${fromDue((plan.startAt - dueAt) / 1000)}; the cap has let the last through ${fromDue((plan.lastAt - dueAt) / 1000)} (late by ${(plan.lateMs / 1000).toFixed(3)} s)`,
  ].join('\n');
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const stamp = Date.now();
  const url = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/pavilion_bench_reminders_${stamp}`;
  const databaseUrl = url.toString();
  const prefix = `pavilion-bench-reminders-${stamp}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  let sink: Sink;
  let smtpUrl: string;
  if (options.sinkProcess) {
    const child = await SinkProcess.start();
    [sink, smtpUrl] = [new RemoteSink(child), child.url];
  } else {
    const local = new CountingSink();
    [sink, smtpUrl] = [local, await local.start()];
  }
  const reference = new Reference(smtpUrl, sink);
  let workers: Workers | undefined;
  const db = new Client({ connectionString: databaseUrl });

  try {
    await ensureDatabase(databaseUrl);
    await runMigrations(databaseUrl, migrations, 'up');
    await db.connect();
    const [{ version }] = (await db.query('SELECT version()')).rows;
    const programme = await createProgramme(db, options.registrants);
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
      ...(options.smtpMaxPerSecond && { SMTP_MAX_PER_SECOND: String(options.smtpMaxPerSecond) }),
    };
    const cpus = os.cpus();
    console.log(
      [
        `machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
        `database: ${String(version).split(' on ')[0]}`,
        `workers: ${options.workerProcesses ? `WORKER_PROCESSES=${options.workerProcesses}, in processes of their own` : `${options.workers} in this process`}${options.sinkProcess ? '; the SMTP sink in a process of its own' : '; the SMTP sink in this process'}; ${options.registrants} registrants; ${options.rounds} rounds${options.smtpMaxPerSecond ? `; the worker under SMTP_MAX_PER_SECOND=${options.smtpMaxPerSecond} (the reference is not capped)` : ''}`,
      ].join('\n'),
    );

    await reference.warmUp(WARM_UP);
    const rounds: Round[] = [];
    const gc = () => (globalThis as { gc?: () => void }).gc?.();
    // As many messages as the worker will send, before and after it does, so both rates cover the same work; a
    // round's "after" is the next round's "before".
    let before = await reference.measure(options.registrants);
    for (let round = 1; round <= options.rounds; round++) {
      // The worker's run should not pay for collecting the reference run's garbage (node --expose-gc).
      gc();

      const startsAt = new Date(Math.ceil((Date.now() + 60_000 + options.leadSeconds * 1000) / 1000) * 1000);
      const dueAt = startsAt.getTime() - 60_000;
      const itemId = await createItem(
        db,
        programme,
        `${ITEM.spaceName} ${round}`,
        ITEM.title,
        startsAt,
        options.registrants,
      );
      // Under a cap the cap sets the pace, not a warm worker; and a warm-up reminder would take the measured one's share.
      const warmUp = !options.smtpMaxPerSecond;
      if (round === 1) {
        // The warm-up: a round table in another hall whose reminder, due a few seconds earlier, goes to the first
        // WARM_UP of the crowd, so the measured reminder finds the worker warm, as in service.
        const warmUpStartsAt = new Date(startsAt.getTime() - WARM_UP_SECONDS_BEFORE * 1000);
        if (warmUp)
          await createItem(db, programme, 'Press hall', 'Warm-up round table', warmUpStartsAt, WARM_UP);
        workers = await startWorkers(env, options);
        if (warmUp) {
          await until(
            async () => (await sink.count()) >= WARM_UP,
            120_000,
            'the warm-up reminder did not arrive',
          );
          await sink.reset();
        }
      }
      const plan = warmUp ? undefined : describePlan(dueAt, options.registrants, loadConfig(env));

      const running = workers as Workers;
      const cpu = running.cpuMs();
      let roundRss = running.rssBytes();
      // The worker's event loop from the first letter on: a loop short of fully busy waits on something else.
      // null: the first letter arrived, but the worker's loop is not this process's (--worker-processes).
      let sending: EventLoopUtilization | null | undefined;
      const meter = new CpuMeter({ postgres: { comm: 'postgres' } });
      await profileWindow(round === 1 ? options.cpuProfile : undefined, () =>
        until(
          async () => {
            roundRss = Math.max(roundRss, running.rssBytes());
            const count = await sink.count();
            if (sending === undefined && count > 0) {
              sending = running.eventLoop() ?? null;
              meter.begin();
            }
            return count >= options.registrants;
          },
          dueAt - Date.now() + 10 * 60_000,
          'the reminder did not arrive',
        ),
      );
      const sendingCpu = meter.end();
      // Scheduling, fan-out, sending and the sink: everything this process did for the reminder.
      const cpuUsPerMessage = ((running.cpuMs() - cpu) * 1000) / options.registrants;
      const busy = sending ? performance.eventLoopUtilization(sending).utilization : NaN;
      // Let anything extra (a duplicate) arrive before counting.
      await new Promise((r) => setTimeout(r, 2000));
      const arrived = await summarise(
        db,
        sink,
        itemId,
        dueAt,
        options.registrants,
        cpuUsPerMessage,
        busy,
        sendingCpu,
      );
      await sink.reset();
      gc();
      const after = await reference.measure(options.registrants);
      rounds.push({ ...arrived, raw: { before, after } });
      before = after;
      console.log(describe(round, rounds[rounds.length - 1]));
      if (plan) console.log(plan);
      console.log(
        `  RSS while the worker sent: at most ${(roundRss / 2 ** 20).toFixed(0)} MiB (sampled every poll${options.workerProcesses ? '; the worker processes, their supervisor included' : ''})`,
      );
    }

    const ratios = rounds.map((r) => r.rate / referenceRate(r)).sort((a, b) => a - b);
    const middle = ratios.length / 2;
    const median = Number.isInteger(middle)
      ? (ratios[middle - 1] + ratios[middle]) / 2
      : ratios[Math.floor(middle)];
    console.log(
      [
        '',
        `rate: median ${median.toFixed(2)} × raw nodemailer (${ratios[0].toFixed(2)}–${ratios[ratios.length - 1].toFixed(2)}) over ${rounds.length} rounds`,
        `first message: at the latest ${fromDue(Math.max(...rounds.map((r) => r.first)))}`,
        `last message: from ${fromDue(Math.min(...rounds.map((r) => r.last)))} to ${fromDue(Math.max(...rounds.map((r) => r.last)))}`,
        `duplicates: ${sum(rounds.map((r) => r.duplicates))}, missing: ${sum(rounds.map((r) => r.missing))}`,
        // ru_maxrss: the most this process (the worker, the reference sender, and the sink unless it has its own) held.
        `peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB${options.workerProcesses ? ' (this process: the reference and the polling; the workers are in the rounds above)' : ''}`,
      ].join('\n'),
    );
    if (rounds.some((r) => r.duplicates !== 0 || r.missing !== 0)) process.exitCode = 1;
  } finally {
    await workers?.close();
    reference.close();
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
