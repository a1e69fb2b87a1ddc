/**
 * B2B schedule benchmark. A generated session, deterministic by seed: 600 participants, 2,400 accepted requests,
 * 16 slots × 150 tables, a few popular companies with more accepted requests than slots, 15% of people with an
 * unavailable slot and 10% with an overlapping registration.
 *
 *   npm run bench:b2b                       options: --seed N  --time-limit SECONDS (default 20)
 *
 * It writes the session into a fresh database, takes the snapshot the worker takes, solves it in a worker
 * thread as the worker does, runs the greedy reference (first slot and table free for both, in request order)
 * on the same snapshot, checks every rule of both schedules itself, then publishes the solver's schedule
 * (meetings and the outbox event that tells their parties, in one transaction) and times that, with a worker running: how long
 * until both parties' notices are in the delivery ledger with their sends queued, and until all are sent.
 */
import { INestApplicationContext } from '@nestjs/common';
import Redis from 'ioredis';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { loadConfig } from '@pavilion/config';
import { dataSourceOptions, ensureDatabase, runMigrations } from '@pavilion/database';
import {
  MeetingsRepository,
  ParticipantsRepository,
  RequestsRepository,
  ScheduleRunsRepository,
  ScheduleRunWorker,
} from '@pavilion/meetings';
import { greedyMeetings, MeetingProblem, MeetingSolution, solveMeetingsInThread } from '@pavilion/scheduling';
import { createWorker } from '../apps/worker/src/bootstrap';
import { migrations } from '../migrations';
import { PEOPLE, seedB2bSession, SLOTS, TABLES } from './b2b-session';

function option(flag: string, fallback: number): number {
  const at = process.argv.indexOf(flag);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

/** Every rule checked independently of the solver; returns what is broken. */
function broken(problem: MeetingProblem, solution: MeetingSolution): string[] {
  const out: string[] = [];
  const people = new Map(problem.participants.map((p) => [p.id, p]));
  const requests = new Map(problem.requests.map((r) => [r.id, r]));
  const taken = new Set<string>();
  for (const m of solution.meetings) {
    const r = requests.get(m.requestId);
    if (!r) out.push(`unknown request ${m.requestId}`);
    else {
      const [a, b] = [people.get(r.from), people.get(r.to)];
      if (!a || !b) out.push(`unknown party in ${r.id}`);
      else {
        if (!a.languages.some((l) => b.languages.includes(l))) out.push(`${r.id}: no shared language`);
        for (const p of [a, b]) {
          if (p.blockedSlots.includes(m.slot)) out.push(`${p.id} blocked in slot ${m.slot}`);
          if (taken.has(`${p.id}/${m.slot}`)) out.push(`${p.id} twice in slot ${m.slot}`);
          taken.add(`${p.id}/${m.slot}`);
        }
      }
    }
    if (m.table < 1 || m.table > problem.tables || taken.has(`table${m.table}/${m.slot}`))
      out.push(`table ${m.table} in slot ${m.slot}`);
    taken.add(`table${m.table}/${m.slot}`);
  }
  return out;
}

/** A local SMTP server that only counts what it receives. */
async function countingSink(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onData: (stream, _session, callback) => {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Polls a count until it reaches `target`; returns the seconds since `from`. */
async function secondsUntil(count: () => Promise<number>, target: number, from: number): Promise<number> {
  const deadline = Date.now() + 300_000;
  while ((await count()) < target) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${target}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return (performance.now() - from) / 1000;
}

/** A worker on the bench database and a queue prefix of its own, sending to a counting SMTP sink. */
async function startWorker(url: string, smtpUrl: string, prefix: string): Promise<INestApplicationContext> {
  return createWorker(
    loadConfig({
      ...process.env,
      NODE_ENV: 'production',
      JWT_SECRET: 'pavilion-bench-secret-that-is-long-enough-for-hs256',
      DATABASE_URL: url,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: prefix,
      SMTP_URL: smtpUrl,
      WORKER_PORT: '0',
      LOG_LEVEL: 'warn',
      RELAY_INTERVAL_MS: '200',
    }),
  );
}

/** Deletes the bench's queue keys from Redis. */
async function dropQueues(prefix: string): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}

async function main() {
  const seedValue = option('--seed', 2017);
  const timeLimit = option('--time-limit', 20);
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/pavilion_bench_b2b_${Date.now().toString(36)}`;
  const url = base.toString();
  await ensureDatabase(url);
  await runMigrations(url, migrations, 'up');
  const db = new DataSource({ ...dataSourceOptions(url), migrations: [] });
  await db.initialize();
  try {
    const itemId = await seedB2bSession((sql, params) => db.query(sql, params), seedValue);
    const participants = new ParticipantsRepository(db);
    const repository = new ScheduleRunsRepository(db);
    const runs = new ScheduleRunWorker(
      repository,
      participants,
      new RequestsRepository(db),
      new MeetingsRepository(db),
    );
    const session = (await participants.session(itemId))!;
    let t = performance.now();
    const problem = await runs.snapshot(session);
    const snapshotSeconds = (performance.now() - t) / 1000;

    t = performance.now();
    const greedy = greedyMeetings(problem);
    const greedySeconds = (performance.now() - t) / 1000;

    t = performance.now();
    const outcome = await solveMeetingsInThread({ problem, seed: 1 }, { timeLimitMs: timeLimit * 1000 });
    if (outcome.status !== 'done') throw new Error('the solve was cancelled');
    const solution = outcome.result;
    const solveSeconds = (performance.now() - t) / 1000;

    const run = (await repository.createRun(itemId, Math.min(120, timeLimit), 60_000))!;
    await repository.startRun(run.id);
    await repository.finishRun(run.id, { result: solution });
    // A worker is up before publication, as in service; it has nothing to do until the publication commits.
    const sink = await countingSink();
    const prefix = `pavilion-bench-b2b-${Date.now().toString(36)}`;
    const worker = await startWorker(url, sink.url, prefix);
    t = performance.now();
    const published = await repository.publishRun((await repository.run(run.id))!, session);
    const publishSeconds = (performance.now() - t) / 1000;
    const [{ meetings, notices }] = await db.query(
      `SELECT (SELECT count(*)::int FROM b2b_meetings WHERE item_id = $1 AND status = 'scheduled') AS meetings,
              (SELECT count(*)::int FROM outbox WHERE item_id = $1 AND kind = 'meeting_scheduled') AS notices`,
      [itemId],
    );
    // The worker's side: both parties' notices (in the app and by email) in the ledger with their send jobs
    // queued, then all of them sent; reminders written per meeting, party and offset.
    const count = async (sql: string) => (await db.query(sql, [itemId]))[0].n as number;
    const ledger = `SELECT count(*)::int AS n FROM deliveries WHERE item_id = $1 AND kind = 'meeting_scheduled'`;
    let ledgerSeconds: number;
    let sentSeconds: number;
    let reminderRows: number;
    try {
      ledgerSeconds = await secondsUntil(() => count(ledger), meetings * 2 * 2, t);
      sentSeconds = await secondsUntil(() => count(`${ledger} AND status = 'sent'`), meetings * 2 * 2, t);
      reminderRows = await count(
        `SELECT count(*)::int AS n FROM deliveries WHERE item_id = $1 AND kind = 'meeting_reminder'`,
      );
    } finally {
      await worker.close();
      await sink.close();
      await dropQueues(prefix);
    }

    const problems = [
      ...broken(problem, solution).map((b) => `solver: ${b}`),
      ...broken(problem, greedy).map((b) => `greedy: ${b}`),
    ];
    if (
      !('published' in published) ||
      published.published !== solution.meetings.length ||
      meetings !== solution.meetings.length
    )
      problems.push(`published ${JSON.stringify(published)} / ${meetings} of ${solution.meetings.length}`);
    const pct = (x: number) => `${((100 * x) / solution.stats.upperBound).toFixed(1)}%`;
    const [load1] = os.loadavg();
    console.log(
      `B2B schedule benchmark, seed ${seedValue}: ${PEOPLE} participants, ${problem.requests.length} accepted requests, ${SLOTS} slots × ${TABLES} tables`,
    );
    console.log(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, load average ${load1.toFixed(2)} at the end`,
    );
    console.log(`snapshot from the database: ${snapshotSeconds.toFixed(2)} s`);
    console.log(`upper bound (proven): ${solution.stats.upperBound}`);
    console.log(
      `solver:  ${solution.stats.scheduled} meetings (${pct(solution.stats.scheduled)} of the bound), ${solution.stats.participantsWithNone} participants with none, ${solveSeconds.toFixed(2)} s (limit ${timeLimit} s, ${solution.stats.complete ? 'finished its search' : 'stopped at the limit'})`,
    );
    console.log(
      `greedy:  ${greedy.stats.scheduled} meetings (${pct(greedy.stats.scheduled)} of the bound), ${greedy.stats.participantsWithNone} participants with none, ${greedySeconds.toFixed(2)} s`,
    );
    const reasons = new Map<string, number>();
    for (const u of solution.unscheduled)
      for (const r of u.reasons) reasons.set(r.code, (reasons.get(r.code) ?? 0) + 1);
    console.log(`unscheduled by reason: ${[...reasons].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(
      `publish: ${meetings} meetings and ${notices} outbox event naming them, in one transaction, ${publishSeconds.toFixed(2)} s`,
    );
    console.log(
      `worker: ${meetings * 4} meeting notices (both parties, in the app and by email) in the ledger with their sends queued ${ledgerSeconds.toFixed(2)} s after the publication started, all sent at ${sentSeconds.toFixed(2)} s (${sink.received()} emails received); ${reminderRows} reminder rows written`,
    );
    if (problems.length > 0) {
      console.error(`BROKEN:\n${problems.slice(0, 20).join('\n')}`);
      process.exitCode = 1;
    }
  } finally {
    await db.destroy();
    const admin = new DataSource({
      ...dataSourceOptions(url.replace(/\/[^/]+$/, '/postgres')),
      migrations: [],
    });
    await admin.initialize();
    await admin.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
    await admin.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
