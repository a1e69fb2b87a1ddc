import { ensureDatabase, runMigrations } from '../../libs/database/src/data-source';
import { migrations } from '../../migrations';

const BASE_URL =
  process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The repository tier's database: created for the run and migrated with the real migrations. */
export default async function repositorySetup(): Promise<void> {
  const url = new URL(BASE_URL);
  url.pathname = `/pavilion_repo_${Date.now().toString(36)}_${process.pid}`;
  await ensureDatabase(url.toString());
  await runMigrations(url.toString(), migrations, 'up');
  process.env.DATABASE_URL = url.toString();
}
