import { ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { call, runLoad } from './support';
import { pgbenchSingleClaims } from './pgbench-reference';
import {
  attendees,
  deleteRedisKeys,
  dropDatabase,
  JWT_SECRET,
  Options,
  printScenario,
  rush,
  Scenario,
  setUp,
} from './registrations-scenario';
import { SinkProcess } from './sink-client';
import { cores, CpuMeter, CpuWindow } from './cpu-meter';

const DIST = path.resolve(__dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * `--full`: the product as `npm start` runs it (dist/scripts/run.js: migrations, demo seed, then the API and the
 * worker in processes of their own), an SMTP sink in a third process, and pgbench's single-claim rate measured
 * first in the same run, while the app is idle.
 */
export async function runFull(options: Options): Promise<number> {
  const stamp = Date.now();
  const database = `pavilion_bench_${stamp}`;
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
  const redisUrl = 'redis://127.0.0.1:6379';
  const prefix = `pavilion-bench-${stamp}`;
  const admin = { email: 'admin@bench.local', password: 'bench-admin-password' };
  const pg = new Client({ connectionString: databaseUrl });
  const sink = await SinkProcess.start();
  let product: ChildProcess | undefined;
  try {
    console.log(
      `  load average    ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (1, 5, 15 min) before the run`,
    );
    const referenceMeter = new CpuMeter({ postgres: { comm: 'postgres' } });
    let reference: CpuWindow | undefined;
    const pgbench = await pgbenchSingleClaims(
      'postgres://postgres@127.0.0.1:5432/postgres',
      50,
      options.referenceSeconds,
      { before: () => referenceMeter.begin(), after: () => (reference = referenceMeter.end()) },
    );
    const pgbenchTps = pgbench.tps;
    console.log(
      `  pgbench         ${pgbenchTps.toFixed(0)} tps (single seat claims, 50 clients, ${options.referenceSeconds} s, app not started)`,
    );

    const port = await freePort();
    const log = path.join(os.tmpdir(), `pavilion-bench-full-${stamp}.log`);
    const out = openSync(log, 'a');
    product = spawn(process.execPath, [path.join(DIST, 'scripts/run.js')], {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: prefix,
        PORT: String(port),
        WORKER_PORT: String(await freePort()),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
        ADMIN_EMAIL: admin.email,
        ADMIN_PASSWORD: admin.password,
        JWT_SECRET,
        SIGNUP_RATE_LIMIT: '100000000',
        API_PROCESSES: String(options.apiProcesses),
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      },
      stdio: ['ignore', out, out],
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitUntil(
      async () => (await call(`${baseUrl}/health/ready`, 'GET').catch(() => ({ status: 0 }))).status === 200,
      300_000,
      'the API started by scripts/run.js',
    );
    await pg.connect();
    const scenario = await setUp(baseUrl, options, admin);
    const tokens = await attendees(pg, options.attendees);
    const warmUp = await warmUpRush(pg, scenario, options, sink);
    const mailBefore = (await sink.count()).messages;

    printScenario(options, [
      '\nScenario (full: the product as `npm start` runs it)',
      `  product         node dist/scripts/run.js: API (API_PROCESSES=${options.apiProcesses}) and worker in processes of their own, log level ${process.env.LOG_LEVEL ?? 'info'} to ${log}`,
      '  mail            SMTP sink in a third process; confirmations sent by the worker during the rush',
      `  warm-up         ${warmUp}`,
    ]);
    const meter = new CpuMeter({
      postgres: { comm: 'postgres' },
      API: { tree: product.pid as number, script: 'apps/api/src/main.js' },
      worker: { tree: product.pid as number, script: 'apps/worker/src/main.js' },
      'SMTP sink': { tree: sink.child.pid as number },
      'load generator': { self: true },
    });
    meter.begin();
    const { rate, p99, failures } = await rush(pg, scenario, tokens, options);
    const rushCpu = meter.end();
    const mailAtEnd = (await sink.count()).messages - mailBefore;
    const drainStart = Date.now();
    await waitUntil(
      async () => (await sink.count()).messages - mailBefore >= options.attendees,
      120_000,
      'every confirmation e-mail',
    ).catch((e: Error) => console.log(`  ${e.message}`));
    const allCpu = meter.end();
    console.log(
      `  e-mails         ${mailAtEnd} sent during the rush; all ${(await sink.count()).messages - mailBefore} after ${((Date.now() - drainStart) / 1000).toFixed(1)} s more`,
    );
    console.log('\nAgainst the reference');
    console.log(
      `  ${rate.toFixed(0)} req/s vs pgbench ${pgbenchTps.toFixed(0)} tps: ${(rate / pgbenchTps).toFixed(2)}x; p99 ${p99.toFixed(1)} ms`,
    );
    if (reference) printCpu(reference, pgbench.transactions, rushCpu, allCpu, options.attendees, pgbenchTps);
    console.log(
      failures.length === 0 ? '\nAll invariants hold.' : `\n${failures.length} invariant(s) FAILED.`,
    );
    return failures.length === 0 ? 0 : 1;
  } finally {
    if (product) {
      product.kill('SIGTERM');
      await exited(product);
    }
    await sink.close();
    await pg.end().catch(() => undefined);
    await dropDatabase(databaseUrl);
    const deleted = await deleteRedisKeys(redisUrl, prefix);
    console.log(`\nCleaned up: dropped ${database}, deleted ${deleted} Redis key(s) under ${prefix}:`);
  }
}

/**
 * Registrations for the warm-up item, from attendees of their own, at the rush's concurrency; then waits until the
 * worker has e-mailed every confirmation they caused, so the measured rush starts with an idle worker.
 */
async function warmUpRush(
  pg: Client,
  scenario: Scenario,
  options: Options,
  sink: SinkProcess,
): Promise<string> {
  if (options.warmUp <= 0) return 'none: the API and the worker meet the rush freshly started';
  const before = (await sink.count()).messages;
  const started = Date.now();
  const { samples } = await runLoad({
    url: `${scenario.baseUrl}/api/items/${scenario.warmUpItemId}/registrations`,
    tokens: await attendees(pg, options.warmUp, 'warm-up'),
    concurrency: options.concurrency,
  });
  const failed = samples.filter((s) => s.status !== 201).length;
  if (failed > 0) throw new Error(`${failed} warm-up registrations failed`);
  await waitUntil(
    async () => (await sink.count()).messages - before >= options.warmUp,
    120_000,
    "the warm-up's confirmation e-mails",
  );
  return `${options.warmUp} registrations for another item, their confirmations all e-mailed, before the rush (${((Date.now() - started) / 1000).toFixed(1)} s; --warm-up 0 for none)`;
}

/**
 * What one registration costs the machine in CPU, against one pgbench claim: the whole machine's busy time split
 * by process group, over the rush (what a burst costs while it lasts) and over the rush plus the confirmations'
 * drain (what each registration costs in all, its e-mail included). Two cores give 2,000 ms of CPU per second, so
 * a burst cannot go faster than 2,000 ÷ (ms per registration during the rush) a second here.
 */
function printCpu(
  reference: CpuWindow,
  claims: number,
  rushWindow: CpuWindow,
  all: CpuWindow,
  registrations: number,
  pgbenchTps: number,
): void {
  const perClaim = reference.busyMs / claims;
  const pgPerClaim = reference.groups.postgres / claims;
  const per = (ms: number) => (ms / registrations).toFixed(3);
  const split = (w: CpuWindow) => {
    const named = Object.values(w.groups).reduce((s, v) => s + v, 0);
    return `${Object.entries(w.groups)
      .map(([k, v]) => `${k} ${per(v)}`)
      .join(', ')}, the rest (Redis, the kernel, other processes) ${per(w.busyMs - named)}`;
  };
  const rushPer = rushWindow.busyMs / registrations;
  const budget = (cores() * 1000) / pgbenchTps;
  const fixed = rushWindow.groups.postgres + rushWindow.groups['load generator'];
  console.log('\nCPU (ms of CPU time per claim or registration; the whole machine, all processes)');
  console.log(
    `  pgbench claim   ${perClaim.toFixed(3)}: PostgreSQL ${pgPerClaim.toFixed(3)}, pgbench client and the rest ${(perClaim - pgPerClaim).toFixed(3)}; machine ${(reference.utilisation * 100).toFixed(0)}% busy`,
  );
  console.log(
    `  rush            ${rushPer.toFixed(3)}: ${split(rushWindow)}; machine ${(rushWindow.utilisation * 100).toFixed(0)}% busy for ${(rushWindow.wallMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `  in all          ${(all.busyMs / registrations).toFixed(3)} with the confirmations sent: ${split(all)}`,
  );
  console.log(
    `  ceiling         a burst at 100% of ${cores()} cores: ${((cores() * 1000) / rushPer).toFixed(0)} registrations/s (${((cores() * 1000) / rushPer / pgbenchTps).toFixed(2)}x pgbench); sustained, e-mails included: ${((cores() * 1000 * registrations) / all.busyMs).toFixed(0)}/s`,
  );
  console.log(
    `  budget          matching pgbench (${pgbenchTps.toFixed(0)}/s) leaves ${budget.toFixed(3)} ms a registration; PostgreSQL and the load generator alone took ${per(fixed)} of it during the rush`,
  );
}
