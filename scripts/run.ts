import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '@pavilion/config';
import { ensureDatabase, runMigrations } from '@pavilion/database';
import { migrations } from '../migrations';
import { checkPorts, checkServices } from './preflight';
import { seedDemo } from './seed-demo';

const dist = path.resolve(__dirname, '..');

/** `npm start`: prepare the database, load the demo if it is empty, then run the API and the worker. */
async function main() {
  const config = loadConfig();
  await checkServices(config);
  await checkPorts(config);
  if ((await ensureDatabase(config.databaseUrl)) === 'created') console.log('Created the database');
  const applied = await runMigrations(config.databaseUrl, migrations, 'up');
  if (applied.length > 0) console.log(`Applied migrations: ${applied.join(', ')}`);

  const seeded = await seedDemo(config);
  if (seeded !== 'exists') {
    console.log(
      [
        'Loaded the demo programme "Days of Chelyabinsk Region" (for local use only):',
        `  admin      ${seeded.admin.email} / ${seeded.admin.password}`,
        `  organizer  ${seeded.organizer.email} / ${seeded.organizer.password}`,
        `  attendee   ${seeded.attendee.email} / ${seeded.attendee.password}`,
        `  programme  ${config.publicUrl}/api/programmes/${seeded.programmeId}/items?date=2017-08-15`,
      ].join('\n'),
    );
  }

  const children: ChildProcess[] = [
    spawn(process.execPath, [path.join(dist, 'apps/api/src/main.js')], { stdio: 'inherit' }),
    spawn(process.execPath, [path.join(dist, 'apps/worker/src/main.js')], { stdio: 'inherit' }),
  ];
  console.log(`API on ${config.publicUrl} (docs at /docs), worker health on port ${config.workerPort}`);

  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    Promise.all(
      children.map(
        (c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('exit', resolve))),
      ),
    ).then(() => process.exit(code));
  };
  for (const child of children) child.once('exit', (code) => stop(code ?? 1));
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
