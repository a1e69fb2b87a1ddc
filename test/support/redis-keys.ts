import Redis from 'ioredis';

/** Deletes every Redis key that holds `prefix` (a run's or a deployment's), leaving other runs' keys alone. */
export async function deleteRedisKeys(prefix: string): Promise<number> {
  const redis = new Redis(process.env.REDIS_URL as string);
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) deleted += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
  return deleted;
}
