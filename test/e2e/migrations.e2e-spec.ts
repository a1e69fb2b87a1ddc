import { Client } from 'pg';
import { runMigrations } from '@pavilion/database';
import { migrations } from '../../migrations';
import { scratchDatabase } from '../support/scratch-database';

describe('migrations', () => {
  it('run up and down cleanly on an empty database, and up again', async () => {
    const db = await scratchDatabase('migrations');
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const tables = async () =>
      (await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map(
        (r) => r.tablename,
      );
    try {
      expect(await runMigrations(db.url, migrations, 'up')).toEqual(migrations.map((m) => new m().name));
      expect(await tables()).toEqual(
        expect.arrayContaining(['venues', 'programme_items', 'item_speakers', 'users', 'schema_migrations']),
      );
      expect(await runMigrations(db.url, migrations, 'up')).toEqual([]);

      expect(await runMigrations(db.url, migrations, 'down')).toHaveLength(migrations.length);
      expect(await tables()).toEqual(['schema_migrations']);
      const functions = await client.query(
        `SELECT proname FROM pg_proc WHERE proname = 'item_speakers_follow_item'`,
      );
      expect(functions.rowCount).toBe(0);

      expect(await runMigrations(db.url, migrations, 'up')).toHaveLength(migrations.length);
    } finally {
      await client.end();
      await db.drop();
    }
  });
});
