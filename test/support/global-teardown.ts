import Redis from 'ioredis';
import { DataSource } from 'typeorm';

/** Drops the run's database and its Redis keys. */
export default async function globalTeardown(): Promise<void> {
  const url = new URL(process.env.DATABASE_URL as string);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const ds = new DataSource({ type: 'postgres', url: url.toString() });
  await ds.initialize();
  await ds.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await ds.destroy();

  const redis = new Redis(process.env.REDIS_URL as string);
  const prefix = process.env.QUEUE_PREFIX as string;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}
