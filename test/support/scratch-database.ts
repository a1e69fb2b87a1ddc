import { ensureDatabase } from '@pavilion/database';
import { dropRunDatabase } from './run-database';

/** A database of its own for a test that needs an empty one; dropped by `drop()`. */
export async function scratchDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const url = new URL(process.env.DATABASE_URL as string);
  const name = `${url.pathname.slice(1)}_${label}`;
  url.pathname = `/${name}`;
  await ensureDatabase(url.toString());
  return {
    url: url.toString(),
    drop: () => dropRunDatabase(url.toString()),
  };
}
