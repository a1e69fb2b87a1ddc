import { dropRunDatabase } from './run-database';

/** Drops the repository tier's database. */
export default async function repositoryTeardown(): Promise<void> {
  await dropRunDatabase();
}
