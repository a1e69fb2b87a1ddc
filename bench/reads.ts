/**
 * Read-path benchmark: boots the API in-process on a fresh database with a published programme day of 200 items,
 * and runs autocannon (in a worker thread) against, one after another:
 *   a bare Fastify server in this script returning the JSON day's bytes from memory (the ceiling),
 *   GET /health/live, the JSON day (GET /api/programmes/:id/items?date=…&limit=200), the HTML day page
 *   (/programmes/:id?day=…), and the HTML day page revalidated with a matching If-None-Match (304).
 * It also counts the SQL statements each request sends (at TypeORM's query runner).
 *
 * Every target runs once per round (default 3 rounds of 5 s), and each figure is the median over the rounds; besides
 * requests per second it reports the main thread's busy time per request (event-loop utilisation), which a
 * neighbour's load on a shared machine inflates far less than it cuts throughput.
 *
 *   npm run bench:reads      options: --seconds N (default 5)  --rounds N (default 3)  --connections N (default 10)
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import { Client } from 'pg';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { loadConfig } from '@pavilion/config';
import { ensureDatabase, runMigrations } from '@pavilion/database';
import { createApiApp } from '../apps/api/src/bootstrap';
import { migrations } from '../migrations';
import { call, ok } from './support';

const DAY = '2031-08-15';
const SPACES = 10;
const SLOTS = 20;

function option(argv: string[], flag: string, fallback: number): number {
  const at = argv.indexOf(flag);
  if (at < 0) return fallback;
  const value = Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a positive integer`);
  return value;
}

async function setUp(baseUrl: string, admin: { email: string; password: string }) {
  const post = <T>(path: string, body: unknown, token?: string) =>
    ok<T & { id: string }>(call(baseUrl + path, 'POST', body, token));
  const { accessToken: token } = await post<{ accessToken: string }>('/api/auth/login', admin);
  const venue = await post(
    '/api/venues',
    { name: 'EXPO-2031', city: 'Astana', country: 'Kazakhstan', timezone: 'Asia/Almaty' },
    token,
  );
  const openingHours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '08:00', closes: '22:00' }));
  const pavilion = await post(`/api/venues/${venue.id}/pavilions`, { name: 'Pavilion', openingHours }, token);
  const organization = await post('/api/organizations', { name: 'Bench organization' }, token);
  const spaces = [];
  for (let s = 0; s < SPACES; s += 1)
    spaces.push(
      await post(
        `/api/pavilions/${pavilion.id}/spaces`,
        { name: `Hall ${s + 1}`, capacity: 200, kind: 'conference_room' },
        token,
      ),
    );
  const programme = await post(
    '/api/programmes',
    {
      organizationId: organization.id,
      pavilionId: pavilion.id,
      title: 'Bench programme',
      startsOn: DAY,
      endsOn: DAY,
      languages: ['ru', 'en'],
    },
    token,
  );
  const speakers = [];
  for (let i = 0; i < 20; i += 1)
    speakers.push(await post('/api/speakers', { name: `Speaker ${i + 1}` }, token));
  let n = 0;
  for (let slot = 0; slot < SLOTS; slot += 1)
    for (const space of spaces) {
      const start = 9 * 60 + slot * 30;
      const at = (m: number) =>
        `${DAY}T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      n += 1;
      await post(
        `/api/programmes/${programme.id}/items`,
        {
          type: n % 3 === 0 ? 'round_table' : 'conference',
          title: `Session ${n}: energy, industry and the regions`,
          description: 'A talk of the bench programme, long enough to look like a real abstract of an item.',
          spaceId: space.id,
          startsAt: at(start),
          endsAt: at(start + 25),
          languages: n % 2 ? ['ru'] : ['ru', 'en'],
          speakerIds: [speakers[n % 20].id],
        },
        token,
      );
    }
  await post(`/api/programmes/${programme.id}/publish`, {}, token);
  return { programmeId: programme.id as string };
}

interface Measured {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  bytes: number;
  /** Main-thread busy time per request (event-loop utilisation × time ÷ requests): the server's own cost. */
  busyUs: number;
}

async function load(
  name: string,
  url: string,
  seconds: number,
  connections: number,
  headers: Record<string, string> = {},
): Promise<Measured> {
  const before = performance.eventLoopUtilization();
  const result = await autocannon({ url, connections, duration: seconds, headers, workers: 1 });
  const busy = performance.eventLoopUtilization(before);
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx - (headers['if-none-match'] ? (result['3xx'] ?? 0) : 0),
    bytes: result.throughput.average / Math.max(result.requests.average, 1),
    busyUs: (busy.active * 1000) / Math.max(result.requests.total, 1),
  };
}

/** The middle value (the lower middle of an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Statements the API sends PostgreSQL per request, counted at TypeORM's query runner over 50 requests. */
async function queriesPerRequest(url: string, headers: Record<string, string> = {}): Promise<number> {
  const runner = PostgresQueryRunner.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = runner.query;
  let count = 0;
  runner.query = function (this: unknown, ...args: unknown[]) {
    count += 1;
    return original.apply(this, args);
  };
  try {
    const rounds = 50;
    for (let i = 0; i < rounds; i += 1) await (await fetch(url, { headers })).arrayBuffer();
    return count / rounds;
  } finally {
    runner.query = original;
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const seconds = option(argv, '--seconds', 5);
  const rounds = option(argv, '--rounds', 3);
  const connections = option(argv, '--connections', 10);
  const stamp = Date.now();
  const database = `pavilion_bench_${stamp}`;
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
  const admin = { email: 'admin@bench.local', password: 'bench-admin-password' };
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    REDIS_URL: 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `pavilion-bench-${stamp}`,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    JWT_SECRET: 'pavilion-bench-secret-that-is-long-enough-for-hs256',
  });
  let app: NestFastifyApplication | undefined;
  const bare = Fastify({ logger: false });
  const pg = new Client({ connectionString: databaseUrl });
  await ensureDatabase(databaseUrl);
  try {
    await runMigrations(databaseUrl, migrations, 'up');
    await pg.connect();
    console.log('Machine');
    console.log(`  CPUs            ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`);
    console.log(`  node            ${process.version}`);
    console.log(
      `  load average    ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} before the run`,
    );

    app = await createApiApp(loadConfig());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const api = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const { programmeId } = await setUp(api, admin);
    const jsonUrl = `${api}/api/programmes/${programmeId}/items?date=${DAY}&limit=200`;
    const htmlUrl = `${api}/programmes/${programmeId}?day=${DAY}&lang=en`;
    const jsonBody = Buffer.from(await (await fetch(jsonUrl)).arrayBuffer());
    const html = await fetch(htmlUrl);
    const etag = html.headers.get('etag') as string;
    const htmlBytes = (await html.arrayBuffer()).byteLength;
    const items = (JSON.parse(jsonBody.toString()) as { items: unknown[] }).items.length;
    if (items !== SPACES * SLOTS) throw new Error(`expected ${SPACES * SLOTS} items, got ${items}`);

    bare.get('/day', (_req, reply) => {
      reply.type('application/json; charset=utf-8').send(jsonBody);
    });
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}/day`;

    console.log('\nScenario');
    console.log(
      `  programme day   ${items} items in ${SPACES} spaces; JSON ${jsonBody.length} B, HTML ${htmlBytes} B`,
    );
    console.log(
      `  load            autocannon, ${connections} connections, ${seconds} s per target, ${rounds} interleaved rounds, in a worker thread`,
    );
    const perRequest = [
      await queriesPerRequest(jsonUrl),
      await queriesPerRequest(htmlUrl),
      await queriesPerRequest(htmlUrl, { 'if-none-match': etag }),
    ];
    console.log(
      `  SQL statements  per request: JSON day ${perRequest[0]}, HTML day ${perRequest[1]}, 304 ${perRequest[2]}`,
    );

    // Every target once per round, rounds one after another: on a shared machine the load drifts, and a drift
    // then weighs on every target alike. Each target's figure is its median over the rounds.
    const targetsRun: [string, string, Record<string, string>?][] = [
      ['bare Fastify, same JSON bytes', bareUrl],
      ['GET /health/live', `${api}/health/live`],
      ['JSON day (200 items)', jsonUrl],
      ['HTML day page', htmlUrl],
      ['HTML day, If-None-Match → 304', htmlUrl, { 'if-none-match': etag }],
    ];
    const runs: Measured[][] = targetsRun.map(() => []);
    for (let round = 1; round <= rounds; round += 1) {
      for (const [i, [name, url, headers]] of targetsRun.entries())
        runs[i].push(await load(name, url, seconds, connections, headers));
      console.log(
        `  round ${round}: ${runs.map((r) => r[round - 1].rps.toFixed(0)).join(' / ')} req/s; load ${os.loadavg()[0].toFixed(1)}`,
      );
    }
    const results = runs.map((r) => ({
      ...r[0],
      rps: median(r.map((m) => m.rps)),
      p50: median(r.map((m) => m.p50)),
      p99: median(r.map((m) => m.p99)),
      busyUs: median(r.map((m) => m.busyUs)),
      non2xx: r.reduce((sum, m) => sum + m.non2xx, 0),
    }));
    const [bareRun, live, json, page, revalidated] = results;
    console.log('\nResults (median of the rounds)');
    for (const r of results)
      console.log(
        `  ${r.name.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  main thread ${r.busyUs.toFixed(0)} µs/request  ${r.non2xx ? `${r.non2xx} unexpected statuses` : ''}`,
      );
    const ratio = (a: Measured, b: Measured) => a.rps / b.rps;
    const targets: [string, number, number][] = [
      ['/health/live vs bare Fastify', ratio(live, bareRun), 0.4],
      ['JSON day vs /health/live', ratio(json, live), 0.5],
      ['HTML day vs /health/live', ratio(page, live), 0.4],
      ['304 revalidation vs /health/live', ratio(revalidated, live), 0.9],
    ];
    console.log('\nTargets');
    for (const [what, value, target] of targets)
      console.log(
        `  ${what.padEnd(34)} ${value.toFixed(2)}x  (target ≥ ${target}x) ${value >= target ? 'met' : 'NOT met'}`,
      );
    return results.some((r) => r.non2xx > 0) ? 1 : 0;
  } finally {
    await bare.close();
    await app?.close();
    await pg.end().catch(() => undefined);
    if (process.env.KEEP_BENCH_DATABASE) console.log(`\nKept ${database} (KEEP_BENCH_DATABASE)`);
    else {
      const adminPg = new Client({ connectionString: databaseUrl.replace(`/${database}`, '/postgres') });
      await adminPg.connect();
      await adminPg.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await adminPg.end();
      console.log(`\nCleaned up: dropped ${database}`);
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
