import { deleteRedisKeys } from './redis-keys';
import { dropRunDatabase } from './run-database';

/** Drops the run's database and its Redis keys. */
export default async function globalTeardown(): Promise<void> {
  await dropRunDatabase();
  await deleteRedisKeys(process.env.QUEUE_PREFIX as string);
}
