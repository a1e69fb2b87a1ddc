/**
 * Registration benchmark: boots the API in-process on a fresh database and fires concurrent
 * POST /api/items/:id/registrations at one item.
 *
 *   npm run bench:registrations                  2,000 attendees, 500 seats, 100 concurrent clients
 *   npm run bench:registrations -- --hot         5,000 attendees, seats for all, 50 concurrent clients
 *   npm run bench:registrations -- --full        the product as `npm start` runs it (API and worker processes, an
 *                                                SMTP sink in a third), 2,000 for 500 seats at 50 clients, beside
 *                                                pgbench's single-claim rate; --api-processes N (or API_PROCESSES),
 *                                                --warm-up N (registrations for another item first; 2,000, 0: none)
 *   options: --attendees N  --concurrency N  --cpu-profile FILE (in-process: the API's main thread during the rush)
 */
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import { Client } from 'pg';
import { loadConfig } from '@pavilion/config';
import { ensureDatabase, runMigrations } from '@pavilion/database';
import { createApiApp } from '../apps/api/src/bootstrap';
import { migrations } from '../migrations';
import {
  attendees,
  deleteRedisKeys,
  dropDatabase,
  JWT_SECRET,
  parseOptions,
  printScenario,
  rush,
  setUp,
} from './registrations-scenario';
import { runFull } from './registrations-full';
import { profileWindow } from './cpu-profile-window';

function printMachine(): void {
  console.log('Machine');
  console.log(`  CPUs            ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`);
  console.log(`  memory          ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`);
  console.log(`  node            ${process.version}`);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options.full) {
    printMachine();
    return runFull(options);
  }
  const stamp = Date.now();
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/pavilion_bench_${stamp}`;
  const admin = { email: 'admin@bench.local', password: 'bench-admin-password' };
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    REDIS_URL: 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `pavilion-bench-${stamp}`,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    SIGNUP_RATE_LIMIT: '100000000',
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    JWT_SECRET,
  });
  const config = loadConfig();

  let app: NestFastifyApplication | undefined;
  const pg = new Client({ connectionString: databaseUrl });
  await ensureDatabase(databaseUrl);
  try {
    await runMigrations(databaseUrl, migrations, 'up');
    await pg.connect();
    const {
      rows: [pgVersion],
    } = await pg.query<{ version: string }>('SELECT version()');
    printMachine();
    console.log(`  PostgreSQL      ${pgVersion.version}`);
    console.log(
      `  load average    ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (1, 5, 15 min) before the run`,
    );

    app = await createApiApp(config);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as AddressInfo;
    const scenario = await setUp(`http://127.0.0.1:${port}`, options, admin);
    const tokens = await attendees(pg, options.attendees);

    printScenario(options, [
      `\nScenario (${options.hot ? 'hot' : 'default'})`,
      `  API             in-process on 127.0.0.1:${port}, database pavilion_bench_${stamp}`,
    ]);
    const { failures } = await profileWindow(options.cpuProfile, () => rush(pg, scenario, tokens, options));
    console.log(
      failures.length === 0 ? '\nAll invariants hold.' : `\n${failures.length} invariant(s) FAILED.`,
    );
    return failures.length === 0 ? 0 : 1;
  } finally {
    await app?.close();
    await pg.end().catch(() => undefined);
    await dropDatabase(databaseUrl);
    const deleted = await deleteRedisKeys(config.redisUrl, config.queuePrefix);
    console.log(
      `\nCleaned up: dropped pavilion_bench_${stamp}, deleted ${deleted} Redis key(s) under ${config.queuePrefix}:`,
    );
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
