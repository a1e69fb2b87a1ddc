import { DataSource, DataSourceOptions, MixedList } from 'typeorm';

// TypeORM accepts migration classes in its list; keeping them as classes avoids file globbing at run time.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type MigrationList = MixedList<Function | string>;

export function dataSourceOptions(
  databaseUrl: string,
  migrations: MigrationList = [],
  connectTimeoutMs = 10_000,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'schema_migrations',
    migrations,
    // connectionTimeoutMillis also bounds the wait for a free pooled connection: keep it well above what a busy
    // pool makes a request wait, or load alone turns into 503s.
    extra: {
      max: 20,
      application_name: 'pavilion',
      connectionTimeoutMillis: connectTimeoutMs,
      keepAlive: true,
      // Every transaction is READ COMMITTED whatever the server's default: the claim batch and the settle
      // functions rely on each statement seeing what committed before it.
      options: '-c default_transaction_isolation=read\\ committed',
    },
  };
}

/** Creates the database named in `databaseUrl` when it is missing and the role may create it. */
export async function ensureDatabase(databaseUrl: string): Promise<'exists' | 'created'> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const ds = new DataSource({ type: 'postgres', url: admin.toString() });
  await ds.initialize();
  try {
    const rows: unknown[] = await ds.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rows.length > 0) return 'exists';
    await ds.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return 'created';
  } finally {
    await ds.destroy();
  }
}

export async function runMigrations(
  databaseUrl: string,
  migrations: MigrationList,
  direction: 'up' | 'down',
) {
  const ds = new DataSource(dataSourceOptions(databaseUrl, migrations));
  await ds.initialize();
  try {
    if (direction === 'up') return (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
    const applied: { name: string }[] = await ds.query('SELECT name FROM schema_migrations ORDER BY id DESC');
    for (let i = 0; i < applied.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
