import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureDatabase, runMigrations } from '../../libs/database/src/data-source';
import { migrations } from '../../migrations';

const BASE_URL =
  process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh database per run, created and migrated with the real migrations; a queue prefix of its own in Redis. */
export default async function globalSetup(): Promise<void> {
  // Crash tests run the worker as a real child process from dist/.
  execFileSync(process.execPath, [path.join(__dirname, '../../scripts/ensure-build.js')], {
    stdio: 'inherit',
  });
  const run = `e2e_${Date.now().toString(36)}_${process.pid}`;
  const url = new URL(BASE_URL);
  url.pathname = `/pavilion_${run}`;
  await ensureDatabase(url.toString());
  await runMigrations(url.toString(), migrations, 'up');

  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: url.toString(),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `pavilion-${run}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-keys',
    ADMIN_EMAIL: 'admin@e2e.test',
    ADMIN_PASSWORD: 'e2e-admin-password',
    MAIL_DIR: path.join(tmpdir(), `pavilion-mail-${run}`),
    // Every test signs up from 127.0.0.1; the rate-limit test sets its own low limit under a prefix of its own.
    SIGNUP_RATE_LIMIT: '1000000',
    METRICS_TOKEN: 'e2e-metrics-token-long-enough',
    // Test webhook receivers listen on 127.0.0.1; the SSRF tests start an API without this allow-list.
    WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
  });
}
