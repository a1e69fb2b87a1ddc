import Redis from 'ioredis';
import net from 'node:net';
import { Client } from 'pg';
import { AppConfig, portInUseMessage } from '@pavilion/config';

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

/** Stops with one line when the API's or the worker's port is taken, before either is started. */
export async function checkPorts(config: AppConfig): Promise<void> {
  for (const [port, variable] of [
    [config.port, 'PORT'],
    [config.workerPort, 'WORKER_PORT'],
  ] as const) {
    const taken = await new Promise<string | undefined>((resolve) => {
      const probe = net.createServer();
      probe.once('error', (error) => resolve(portInUseMessage(error, port, variable)));
      probe.listen({ port, host: '0.0.0.0' }, () => probe.close(() => resolve(undefined)));
    });
    if (taken) fail(taken);
  }
}

function fail(line: string): never {
  console.error(line);
  process.exit(1);
}
