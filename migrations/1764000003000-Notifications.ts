import { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1764000003000 implements MigrationInterface {
  name = 'Notifications1764000003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        url text NOT NULL,
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhooks_organization_idx ON webhooks (organization_id)`);

    // The delivery ledger: one row per message per channel, unique per what it says and to whom.
    await q.query(`
      CREATE TABLE deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recipient text NOT NULL,
        user_id uuid REFERENCES users (id) ON DELETE CASCADE,
        webhook_id uuid REFERENCES webhooks (id) ON DELETE CASCADE,
        channel text NOT NULL CHECK (channel IN ('email', 'in_app', 'webhook')),
        kind text NOT NULL,
        item_id uuid NOT NULL REFERENCES programme_items (id),
        item_version integer NOT NULL,
        offset_minutes integer NOT NULL DEFAULT 0,
        ref text NOT NULL DEFAULT '',
        registration_id uuid REFERENCES registrations (id),
        payload jsonb NOT NULL DEFAULT '{}',
        due_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
        attempts integer NOT NULL DEFAULT 0,
        lease_until timestamptz,
        last_error text,
        subject text,
        body text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        CONSTRAINT deliveries_one_recipient CHECK ((user_id IS NULL) <> (webhook_id IS NULL))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX deliveries_once ON deliveries (recipient, kind, item_id, item_version, offset_minutes, channel, ref)`,
    );
    await q.query(
      `CREATE INDEX deliveries_inbox_idx ON deliveries (user_id, created_at DESC) WHERE channel = 'in_app' AND status = 'sent'`,
    );
    await q.query(`CREATE INDEX deliveries_status_idx ON deliveries (status, created_at)`);
    await q.query(
      `CREATE INDEX deliveries_item_idx ON deliveries (item_id, kind, offset_minutes, item_version)`,
    );

    await q.query(`
      CREATE TABLE reminder_fanouts (
        item_id uuid NOT NULL REFERENCES programme_items (id),
        offset_minutes integer NOT NULL,
        item_version integer NOT NULL,
        completed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (item_id, offset_minutes, item_version)
      )`);

    // What each registrant was last told about the item's time and place, for coalesced change notices.
    await q.query(`
      ALTER TABLE registrations
        ADD COLUMN told_starts_at timestamptz,
        ADD COLUMN told_ends_at timestamptz,
        ADD COLUMN told_space_id uuid`);
    await q.query(`
      UPDATE registrations r SET told_starts_at = i.starts_at, told_ends_at = i.ends_at, told_space_id = i.space_id
        FROM programme_items i WHERE i.id = r.item_id`);
    await q.query(`
      CREATE FUNCTION registrations_told_current() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT starts_at, ends_at, space_id INTO NEW.told_starts_at, NEW.told_ends_at, NEW.told_space_id
          FROM programme_items WHERE id = NEW.item_id;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER registrations_told_on_insert BEFORE INSERT ON registrations
        FOR EACH ROW EXECUTE FUNCTION registrations_told_current()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER registrations_told_on_insert ON registrations`);
    await q.query(`DROP FUNCTION registrations_told_current()`);
    await q.query(
      `ALTER TABLE registrations DROP COLUMN told_space_id, DROP COLUMN told_ends_at, DROP COLUMN told_starts_at`,
    );
    await q.query(`DROP TABLE reminder_fanouts`);
    await q.query(`DROP TABLE deliveries`);
    await q.query(`DROP TABLE webhooks`);
  }
}
