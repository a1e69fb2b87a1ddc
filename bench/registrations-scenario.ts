/** The registration benchmark's scenario, report and clean-up, shared by its in-process and --full modes. */
import { JwtService } from '@nestjs/jwt';
import Redis from 'ioredis';
import { DateTime } from 'luxon';
import { Client } from 'pg';
import { call, ok, percentile, runLoad, Sample } from './support';

export const TIMEZONE = 'Asia/Almaty';
export const JWT_SECRET = 'pavilion-bench-secret-that-is-long-enough-for-hs256';

export interface Options {
  hot: boolean;
  /** The product started as `npm start` starts it, in processes of its own, with an SMTP sink in a third. */
  full: boolean;
  apiProcesses: number;
  /** How long pgbench measures the reference in --full mode. */
  referenceSeconds: number;
  attendees: number;
  concurrency: number;
  seats: number;
  /**
   * --full: registrations sent to a second item before the measured rush (default 2,000; 0 for none), so the
   * freshly started API and worker meet the rush with their code compiled, as a server that has been up for a while
   * does; their confirmations are all sent before the rush begins.
   */
  warmUp: number;
  /** In-process mode: write a CPU profile of the API's main thread over the rush to this file. */
  cpuProfile?: string;
}

export function parseOptions(argv: string[]): Options {
  const hot = argv.includes('--hot');
  const full = argv.includes('--full');
  const number = (flag: string, fallback: number): number => {
    const at = argv.indexOf(flag);
    if (at < 0) return fallback;
    const value = Number(argv[at + 1]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a positive integer`);
    return value;
  };
  const attendees = number('--attendees', hot ? 5000 : 2000);
  const warmUp = argv.includes('--warm-up') ? Number(argv[argv.indexOf('--warm-up') + 1]) : full ? 2000 : 0;
  if (!Number.isInteger(warmUp) || warmUp < 0) throw new Error('--warm-up needs a whole number, 0 for none');
  // Hot mode: seats never run out, so every request is a confirmed claim on one contended row.
  return {
    hot,
    full,
    apiProcesses: number('--api-processes', Number(process.env.API_PROCESSES ?? 1)),
    referenceSeconds: number('--reference-seconds', 10),
    attendees,
    concurrency: number('--concurrency', hot || full ? 50 : 100),
    seats: hot ? Math.max(5000, attendees) : 500,
    warmUp,
    cpuProfile: argv.includes('--cpu-profile') ? argv[argv.indexOf('--cpu-profile') + 1] : undefined,
  };
}

export interface Scenario {
  baseUrl: string;
  itemId: string;
  /** Another item of the programme, the next day, for the warm-up's registrations (see Options.warmUp). */
  warmUpItemId: string;
}

/** Venue, pavilion open round the clock, a hall, an organization with its organizer, a published programme, one item. */
export async function setUp(
  baseUrl: string,
  options: Options,
  admin: { email: string; password: string },
): Promise<Scenario> {
  const post = <T>(path: string, body: unknown, token?: string) =>
    ok<T & { id: string }>(call(baseUrl + path, 'POST', body, token));
  const { accessToken: adminToken } = await post<{ accessToken: string }>('/api/auth/login', admin);
  const venue = await post(
    '/api/venues',
    { name: 'Bench venue', city: 'Astana', country: 'Kazakhstan', timezone: TIMEZONE },
    adminToken,
  );
  const openingHours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '24:00' }));
  const pavilion = await post(
    `/api/venues/${venue.id}/pavilions`,
    { name: 'Bench pavilion', openingHours },
    adminToken,
  );
  const space = await post(
    `/api/pavilions/${pavilion.id}/spaces`,
    { name: 'Bench hall', capacity: Math.max(5000, options.seats), kind: 'hall' },
    adminToken,
  );
  const organization = await post('/api/organizations', { name: 'Bench organization' }, adminToken);

  const organizer = { email: 'organizer@bench.local', password: 'correct horse battery' };
  await post('/api/auth/signup', { ...organizer, displayName: 'Bench organizer' });
  await post(`/api/organizations/${organization.id}/members`, { email: organizer.email }, adminToken);
  const { accessToken: organizerToken } = await post<{ accessToken: string }>('/api/auth/login', organizer);

  const today = DateTime.now().setZone(TIMEZONE);
  const day = today.plus({ days: 20 }).toISODate();
  const programme = await post(
    '/api/programmes',
    {
      organizationId: organization.id,
      pavilionId: pavilion.id,
      title: 'Bench programme',
      startsOn: today.plus({ days: 1 }).toISODate(),
      endsOn: today.plus({ days: 30 }).toISODate(),
    },
    organizerToken,
  );
  const item = (title: string, on: string) =>
    post(
      `/api/programmes/${programme.id}/items`,
      {
        type: 'conference',
        title,
        spaceId: space.id,
        startsAt: `${on}T10:00`,
        endsAt: `${on}T11:00`,
        capacity: options.seats,
      },
      organizerToken,
    );
  const rushed = await item('Bench item', day as string);
  const warmUp = await item('Bench warm-up item', today.plus({ days: 21 }).toISODate() as string);
  await post(`/api/programmes/${programme.id}/publish`, {}, organizerToken);
  return { baseUrl, itemId: rushed.id, warmUpItemId: warmUp.id };
}

/** Attendees straight into `users` (signing up thousands means thousands of argon2 hashes), with API-identical tokens. */
export async function attendees(pg: Client, count: number, name = 'attendee'): Promise<string[]> {
  const { rows } = await pg.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name, role, locale, calendar_feed_token)
     SELECT $2 || '-' || g || '@bench.local', 'not-a-password-hash', 'Bench ' || $2 || ' ' || g, 'attendee', 'en',
            replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
       FROM generate_series(1, $1::int) g
     RETURNING id`,
    [count, name],
  );
  const jwt = new JwtService();
  return rows.map((r) =>
    jwt.sign({ sub: r.id }, { secret: JWT_SECRET, algorithm: 'HS256', expiresIn: 3600 }),
  );
}

interface Registration {
  status: 'confirmed' | 'waitlisted';
  waitlistPosition?: number;
}

/** The printed report; returns the broken invariants. */
export async function report(
  pg: Client,
  itemId: string,
  options: Options,
  samples: Sample[],
  elapsedMs: number,
): Promise<string[]> {
  const failures: string[] = [];
  const check = (good: boolean, what: string) => {
    console.log(`  ${good ? 'ok  ' : 'FAIL'} ${what}`);
    if (!good) failures.push(what);
  };
  const latencies = samples.map((s) => s.ms).sort((a, b) => a - b);
  const failed = samples.filter((s) => s.status < 200 || s.status >= 300);
  const registered = samples.filter((s) => s.status === 201).map((s) => JSON.parse(s.text) as Registration);
  const confirmed = registered.filter((r) => r.status === 'confirmed').length;
  const positions = registered
    .filter((r) => r.status === 'waitlisted')
    .map((r) => r.waitlistPosition ?? 0)
    .sort((a, b) => a - b);
  const expectedConfirmed = Math.min(options.seats, options.attendees);
  const expectedWaitlisted = options.attendees - expectedConfirmed;

  const ms = (q: number) => percentile(latencies, q).toFixed(1);
  const waitlistRange = positions.length > 0 ? ` (positions ${positions[0]}..${positions.at(-1)})` : '';
  const errorKinds = new Map<string, number>();
  for (const f of failed) {
    const kind = `${f.status} ${f.text.slice(0, 160)}`;
    errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
  }
  const byStatus = await pg.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM registrations WHERE item_id = $1 GROUP BY status',
    [itemId],
  );
  const db = Object.fromEntries(byStatus.rows.map((r) => [r.status, r.n]));
  // created_at defaults to now(), the start of the transaction, so the rows of one claim batch share it.
  const { rows } = await pg.query<{ confirmed_count: number; waitlist_count: number; batches: number }>(
    `SELECT confirmed_count, waitlist_count,
            (SELECT count(DISTINCT created_at)::int FROM registrations WHERE item_id = $1) AS batches
       FROM programme_items WHERE id = $1`,
    [itemId],
  );
  const counters = rows[0];

  console.log('\nResults');
  console.log(`  requests        ${samples.length} in ${(elapsedMs / 1000).toFixed(2)} s`);
  console.log(`  throughput      ${((samples.length / elapsedMs) * 1000).toFixed(0)} requests/s`);
  console.log(`  latency (ms)    p50 ${ms(0.5)}  p95 ${ms(0.95)}  p99 ${ms(0.99)}  max ${ms(1)}`);
  console.log(`  confirmed       ${confirmed}`);
  console.log(`  waitlisted      ${positions.length}${waitlistRange}`);
  console.log(`  non-2xx/errors  ${failed.length}`);
  for (const [kind, count] of errorKinds) console.log(`    ${count} x ${kind}`);
  console.log(`  database        registrations ${JSON.stringify(db)}`);
  console.log(
    `                  item confirmed_count ${counters.confirmed_count}, waitlist_count ${counters.waitlist_count}`,
  );
  const perBatch = (registered.length / Math.max(counters.batches, 1)).toFixed(1);
  console.log(
    `  claim batches   ${counters.batches} transactions, ${perBatch} registrations each on average`,
  );

  console.log('\nInvariants');
  check(failed.length === 0, 'no non-2xx responses or transport errors');
  check(confirmed === expectedConfirmed, `${expectedConfirmed} confirmed in the responses`);
  check(
    positions.length === expectedWaitlisted && positions.every((p, i) => p === i + 1),
    expectedWaitlisted > 0
      ? `waitlist positions are exactly 1..${expectedWaitlisted}, each once`
      : 'nobody waitlisted',
  );
  check(
    (db.confirmed ?? 0) === expectedConfirmed && counters.confirmed_count === expectedConfirmed,
    `${expectedConfirmed} confirmed in the database (rows and item counter)`,
  );
  check(
    (db.waitlisted ?? 0) === expectedWaitlisted && counters.waitlist_count === expectedWaitlisted,
    `${expectedWaitlisted} waitlisted in the database (rows and item counter)`,
  );
  return failures;
}

export async function dropDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const pg = new Client({ connectionString: admin.toString() });
  await pg.connect();
  try {
    await pg.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
  } finally {
    await pg.end();
  }
}

export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) deleted += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return deleted;
}

/** The scenario's common lines, after a first line of the caller's own. */
export function printScenario(options: Options, first: string[]): void {
  for (const line of [
    ...first,
    `  item            ${options.seats} seats; ${options.attendees} distinct attendees register once each`,
    `  clients         ${options.concurrency} concurrent, keep-alive HTTP/1.1 connections sending prebuilt requests over raw sockets, from a worker thread`,
    '  attendees       inserted with SQL; tokens minted with JwtService (HS256, sub = user id) exactly as the API issues them',
  ])
    console.log(line);
}

/** Fires the rush and prints the report; returns the run's rate, its p99 and the broken invariants. */
export async function rush(
  pg: Client,
  scenario: Scenario,
  tokens: string[],
  options: Options,
): Promise<{ rate: number; p99: number; failures: string[] }> {
  const { samples, elapsedMs } = await runLoad({
    url: `${scenario.baseUrl}/api/items/${scenario.itemId}/registrations`,
    tokens,
    concurrency: options.concurrency,
  });
  const failures = await report(pg, scenario.itemId, options, samples, elapsedMs);
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return { rate: (samples.length / elapsedMs) * 1000, p99: percentile(sorted, 0.99), failures };
}
