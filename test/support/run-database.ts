import { DataSource } from 'typeorm';

/** Drops a database of the run (by default the one DATABASE_URL names), through the server's `postgres`. */
export async function dropRunDatabase(databaseUrl = process.env.DATABASE_URL as string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const ds = new DataSource({ type: 'postgres', url: url.toString() });
  await ds.initialize();
  try {
    await ds.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await ds.destroy();
  }
}
