import { ConfigError, loadConfig } from '@pavilion/config';
import { ensureDatabase, runMigrations } from '@pavilion/database';
import { migrations } from '../migrations';
import { checkServices } from './preflight';

async function main() {
  const direction = process.argv[2] === 'down' ? 'down' : 'up';
  const config = loadConfig();
  await checkServices(config);
  if (direction === 'up' && (await ensureDatabase(config.databaseUrl)) === 'created')
    console.log('Created the database');
  const names = await runMigrations(config.databaseUrl, migrations, direction);
  console.log(
    names.length === 0
      ? 'Nothing to migrate'
      : `${direction === 'up' ? 'Applied' : 'Reverted'}: ${names.join(', ')}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
