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
 * (meetings and their outbox notices, in one transaction) and times that.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureDatabase, runMigrations } from '@pavilion/database';
import {
  MeetingsRepository,
  ParticipantsRepository,
  RequestsRepository,
  ScheduleRunsRepository,
  ScheduleRunWorker,
} from '@pavilion/meetings';
import {
  greedyMeetings,
  MeetingProblem,
  MeetingSolution,
  SeededRandom,
  solveMeetingsInThread,
} from '@pavilion/scheduling';
import { migrations } from '../migrations';

const PEOPLE = 600;
const REQUESTS = 2400;
const SLOTS = 16;
const TABLES = 150;
const MINUTES = 20;
const POPULAR = 8;
const POPULAR_REQUESTS = 30;

function option(flag: string, fallback: number): number {
  const at = process.argv.indexOf(flag);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

/** Writes the generated session; returns its item id. */
async function seed(db: DataSource, seedValue: number): Promise<string> {
  const rng = new SeededRandom(seedValue);
  const random = () => rng.next();
  const q = (sql: string, params: unknown[] = []) => db.query(sql, params);
  const [venue] = await q(
    `INSERT INTO venues (name, city, country, timezone) VALUES ('Bench venue', 'Astana', 'Kazakhstan', 'Asia/Almaty') RETURNING id`,
  );
  const [pavilion] = await q(
    `INSERT INTO pavilions (venue_id, name) VALUES ($1, 'Bench pavilion') RETURNING id`,
    [venue.id],
  );
  const [zone] = await q(
    `INSERT INTO spaces (pavilion_id, name, capacity, kind, tables) VALUES ($1, 'B2B zone', 300, 'b2b_zone', $2) RETURNING id`,
    [pavilion.id, TABLES],
  );
  const [hall] = await q(
    `INSERT INTO spaces (pavilion_id, name, capacity, kind) VALUES ($1, 'Hall', 1000, 'hall') RETURNING id`,
    [pavilion.id],
  );
  const [org] = await q(`INSERT INTO organizations (name) VALUES ('Bench organization') RETURNING id`);
  const [programme] = await q(
    `INSERT INTO programmes (organization_id, pavilion_id, title, starts_on, ends_on, status, published_at)
     VALUES ($1, $2, 'Bench days', '2031-06-02', '2031-06-03', 'published', now()) RETURNING id`,
    [org.id, pavilion.id],
  );
  const start = new Date('2031-06-02T05:00:00Z');
  const slotMs = MINUTES * 60_000;
  const [session] = await q(
    `INSERT INTO programme_items (programme_id, space_id, type, title, starts_at, ends_at, capacity, meeting_minutes)
     VALUES ($1, $2, 'b2b_meetings', 'Meetings with business', $3, $4, 300, $5) RETURNING id`,
    [programme.id, zone.id, start, new Date(start.getTime() + SLOTS * slotMs), MINUTES],
  );
  // Four one-hour round tables during the session, for the 10% with an overlapping registration.
  const talks: { id: string }[] = [];
  for (let k = 0; k < 4; k++) {
    const from = new Date(start.getTime() + (1 + 4 * k) * slotMs);
    const [talk] = await q(
      `INSERT INTO programme_items (programme_id, space_id, type, title, starts_at, ends_at, capacity)
       VALUES ($1, $2, 'round_table', $3, $4, $5, 1000) RETURNING id`,
      [programme.id, hall.id, `Round table ${k + 1}`, from, new Date(from.getTime() + 3 * slotMs)],
    );
    talks.push(talk);
  }
  const users: { id: string }[] = await q(
    `INSERT INTO users (email, password_hash, display_name, calendar_feed_token)
     SELECT 'b2b-' || g || '@bench.local', 'not-a-password-hash', 'Participant ' || g,
            replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
       FROM generate_series(1, $1::int) g ORDER BY g RETURNING id`,
    [PEOPLE],
  );
  const languages = users.map(() => {
    const x = random();
    return x < 0.03 ? ['en'] : x < 0.1 ? ['en', 'ru'] : ['ru', 'kk'];
  });
  const unavailable = users.map(() => {
    if (random() >= 0.15) return '{}';
    const s = Math.floor(random() * SLOTS);
    return `{[${new Date(start.getTime() + s * slotMs).toISOString()},${new Date(start.getTime() + (s + 1) * slotMs).toISOString()})}`;
  });
  const participants: { id: string }[] = await q(
    `INSERT INTO b2b_participants (item_id, user_id, company, sector, offers, seeks, languages, unavailable)
     SELECT $1, u, 'Company ' || o, 'trade', '{}', '{}', string_to_array(l, ','), m::tstzmultirange
       FROM unnest($2::uuid[], $3::text[], $4::text[]) WITH ORDINALITY AS t(u, l, m, o) ORDER BY o RETURNING id`,
    [session.id, users.map((u) => u.id), languages.map((l) => l.join(',')), unavailable],
  );
  const registered = users.filter(() => random() < 0.1);
  for (const [k, u] of registered.entries())
    await q(
      `INSERT INTO registrations (item_id, user_id, status, check_in_code) VALUES ($1, $2, 'confirmed', $3)`,
      [talks[k % talks.length].id, u.id, `B${String(k).padStart(7, '0')}`],
    );

  // Requests: the popular companies first get more than they have slots, then random distinct pairs.
  const pairs = new Set<string>();
  const requests: [number, number][] = [];
  const add = (a: number, b: number) => {
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (a === b || pairs.has(key)) return;
    pairs.add(key);
    requests.push([a, b]);
  };
  for (let p = 0; p < POPULAR; p++)
    while (requests.length < (p + 1) * POPULAR_REQUESTS)
      add(POPULAR + Math.floor(random() * (PEOPLE - POPULAR)), p);
  while (requests.length < REQUESTS) add(Math.floor(random() * PEOPLE), Math.floor(random() * PEOPLE));
  await q(
    `INSERT INTO b2b_requests (item_id, from_participant_id, to_participant_id, status, created_at, answered_at)
     SELECT $1, f, t, 'accepted', '2031-01-01'::timestamptz + o * interval '1 millisecond', now()
       FROM unnest($2::uuid[], $3::uuid[]) WITH ORDINALITY AS x(f, t, o)`,
    [session.id, requests.map(([a]) => participants[a].id), requests.map(([, b]) => participants[b].id)],
  );
  return session.id;
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
    const itemId = await seed(db, seedValue);
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
    t = performance.now();
    const published = await repository.publishRun((await repository.run(run.id))!, session);
    const publishSeconds = (performance.now() - t) / 1000;
    const [{ meetings, notices }] = await db.query(
      `SELECT (SELECT count(*)::int FROM b2b_meetings WHERE item_id = $1 AND status = 'scheduled') AS meetings,
              (SELECT count(*)::int FROM outbox WHERE item_id = $1 AND kind = 'meeting_scheduled') AS notices`,
      [itemId],
    );

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
      `publish: ${meetings} meetings and ${notices} outbox notices in one transaction, ${publishSeconds.toFixed(2)} s`,
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
