import Redis from 'ioredis';
import { Client } from 'pg';
import { AppConfig } from '@pavilion/config';

const HINT = 'start them with `docker compose up -d postgres redis`, or set DATABASE_URL / REDIS_URL';

/** Stops with one line naming what is unreachable and how to fix it. */
export async function checkServices(config: AppConfig): Promise<void> {
  const pgUrl = new URL(config.databaseUrl);
  pgUrl.pathname = '/postgres';
  const pg = new Client({ connectionString: pgUrl.toString(), connectionTimeoutMillis: 3000 });
  try {
    await pg.connect();
  } catch (error) {
    fail(`PostgreSQL at ${pgUrl.host} is unreachable (${(error as Error).message}): ${HINT}`);
  } finally {
    await pg.end().catch(() => undefined);
  }

  const redis = new Redis(config.redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  let cause = '';
  redis.on('error', (error: Error) => (cause ||= error.message));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    fail(
      `Redis at ${new URL(config.redisUrl).host} is unreachable (${cause || (error as Error).message}): ${HINT}`,
    );
  } finally {
    redis.disconnect();
  }
}

function fail(line: string): never {
  console.error(line);
  process.exit(1);
}
