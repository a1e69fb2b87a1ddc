import { MigrationInterface, QueryRunner } from 'typeorm';

export class Registrations1764000002000 implements MigrationInterface {
  name = 'Registrations1764000002000';

  async up(q: QueryRunner): Promise<void> {
    // Counters live on the item row: claims serialize on it, and the CHECK is the last guard against overbooking.
    await q.query(`
      ALTER TABLE programme_items
        ADD COLUMN confirmed_count integer NOT NULL DEFAULT 0,
        ADD COLUMN waitlist_count integer NOT NULL DEFAULT 0,
        ADD COLUMN waitlist_seq bigint NOT NULL DEFAULT 0,
        ADD CONSTRAINT programme_items_confirmed_within_capacity CHECK (confirmed_count BETWEEN 0 AND capacity),
        ADD CONSTRAINT programme_items_waitlist_count_nonnegative CHECK (waitlist_count >= 0)`);

    await q.query(`
      CREATE TABLE registrations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES programme_items (id),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
        waitlist_seq bigint,
        check_in_code text NOT NULL,
        checked_in_at timestamptz,
        promoted_at timestamptz,
        cancelled_at timestamptz,
        cancel_reason text CHECK (cancel_reason IN ('attendee', 'item_cancelled')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT registrations_waitlisted_have_seq CHECK (status <> 'waitlisted' OR waitlist_seq IS NOT NULL)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX registrations_one_live_per_attendee ON registrations (item_id, user_id) WHERE status <> 'cancelled'`,
    );
    await q.query(
      `CREATE UNIQUE INDEX registrations_check_in_code_key ON registrations (item_id, check_in_code)`,
    );
    await q.query(
      `CREATE INDEX registrations_waitlist_idx ON registrations (item_id, waitlist_seq) WHERE status = 'waitlisted'`,
    );
    await q.query(`CREATE INDEX registrations_item_created_idx ON registrations (item_id, created_at, id)`);
    await q.query(`CREATE INDEX registrations_user_idx ON registrations (user_id, created_at)`);

    // The transactional outbox: written in the same transaction as the change it reports, relayed by the worker.
    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        item_id uuid NOT NULL,
        registration_id uuid,
        user_id uuid,
        item_version integer,
        payload jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        relayed_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_pending_idx ON outbox (id) WHERE relayed_at IS NULL`);

    // Fills free seats from the waitlist in arrival order; the one place promotion happens.
    await q.query(`
      CREATE FUNCTION settle_waitlist(p_item uuid) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        free integer;
        promoted integer;
      BEGIN
        SELECT capacity - confirmed_count INTO free FROM programme_items
         WHERE id = p_item AND status <> 'cancelled' AND waitlist_count > 0;
        IF free IS NULL OR free <= 0 THEN RETURN 0; END IF;
        WITH next AS (
          SELECT id FROM registrations
           WHERE item_id = p_item AND status = 'waitlisted'
           ORDER BY waitlist_seq LIMIT free FOR UPDATE
        ), done AS (
          UPDATE registrations r SET status = 'confirmed', waitlist_seq = NULL, promoted_at = now(), updated_at = now()
            FROM next WHERE r.id = next.id
          RETURNING r.id, r.user_id
        ), events AS (
          INSERT INTO outbox (kind, item_id, registration_id, user_id)
          SELECT 'waitlist_promoted', p_item, done.id, done.user_id FROM done
        )
        SELECT count(*) INTO promoted FROM done;
        IF promoted > 0 THEN
          UPDATE programme_items
             SET confirmed_count = confirmed_count + promoted, waitlist_count = waitlist_count - promoted
           WHERE id = p_item;
        END IF;
        RETURN promoted;
      END $$`);

    await q.query(`
      CREATE FUNCTION programme_items_capacity_raised() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM settle_waitlist(NEW.id);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER programme_items_settle_on_capacity
        AFTER UPDATE OF capacity ON programme_items
        FOR EACH ROW WHEN (NEW.capacity > OLD.capacity) EXECUTE FUNCTION programme_items_capacity_raised()`);

    // Cancelling an item cancels its registrations in the same transaction.
    await q.query(`
      CREATE FUNCTION programme_items_cancel_registrations() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE registrations SET status = 'cancelled', cancel_reason = 'item_cancelled', waitlist_seq = NULL,
               cancelled_at = now(), updated_at = now()
         WHERE item_id = NEW.id AND status <> 'cancelled';
        UPDATE programme_items SET confirmed_count = 0, waitlist_count = 0 WHERE id = NEW.id;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER programme_items_cancel_cascade
        AFTER UPDATE OF status ON programme_items
        FOR EACH ROW WHEN (NEW.status = 'cancelled' AND OLD.status <> 'cancelled')
        EXECUTE FUNCTION programme_items_cancel_registrations()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER programme_items_cancel_cascade ON programme_items`);
    await q.query(`DROP FUNCTION programme_items_cancel_registrations()`);
    await q.query(`DROP TRIGGER programme_items_settle_on_capacity ON programme_items`);
    await q.query(`DROP FUNCTION programme_items_capacity_raised()`);
    await q.query(`DROP FUNCTION settle_waitlist(uuid)`);
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP TABLE registrations`);
    await q.query(`
      ALTER TABLE programme_items
        DROP CONSTRAINT programme_items_waitlist_count_nonnegative,
        DROP CONSTRAINT programme_items_confirmed_within_capacity,
        DROP COLUMN waitlist_seq,
        DROP COLUMN waitlist_count,
        DROP COLUMN confirmed_count`);
  }
}
