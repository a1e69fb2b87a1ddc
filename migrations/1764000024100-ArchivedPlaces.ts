import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Everyday management of places and speakers. Deleting a venue, pavilion, space or speaker removes the row when
 * nothing refers to it; when past or cancelled items still do (history), the row is archived instead: hidden
 * from lists and look-ups, refused for new bookings, still shown on the items it served. An archived space's
 * name is free again. A trigger keeps new placements out of archived spaces and within the space's capacity,
 * serialized with a shrink or an archive on the space's row (they take it for update, the trigger for share).
 */
export class ArchivedPlaces1764000024100 implements MigrationInterface {
  name = 'ArchivedPlaces1764000024100';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['venues', 'pavilions', 'spaces', 'speakers'])
      await q.query(`ALTER TABLE ${table} ADD COLUMN archived_at timestamptz`);
    await q.query(`DROP INDEX spaces_pavilion_name_key`);
    await q.query(
      `CREATE UNIQUE INDEX spaces_pavilion_name_key ON spaces (pavilion_id, lower(name)) WHERE archived_at IS NULL`,
    );
    // A pavilion's row has no pavilion_id: PL/pgSQL resolved NEW.pavilion_id even in the branch not taken, so
    // any update of a pavilion failed. One branch per table.
    await q.query(`
      CREATE OR REPLACE FUNCTION bump_programmes_of_pavilion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'venues' THEN
          UPDATE programmes SET revision = nextval('public_revision_seq')
           WHERE pavilion_id IN (SELECT id FROM pavilions WHERE venue_id = NEW.id);
        ELSIF TG_TABLE_NAME = 'spaces' THEN
          UPDATE programmes SET revision = nextval('public_revision_seq') WHERE pavilion_id = NEW.pavilion_id;
        ELSE
          UPDATE programmes SET revision = nextval('public_revision_seq') WHERE pavilion_id = NEW.id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION programme_items_fit_their_space() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        place spaces;
      BEGIN
        IF NEW.status <> 'scheduled' THEN
          RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.space_id IS NOT DISTINCT FROM OLD.space_id
           AND NEW.starts_at IS NOT DISTINCT FROM OLD.starts_at AND NEW.ends_at IS NOT DISTINCT FROM OLD.ends_at
           AND NEW.status IS NOT DISTINCT FROM OLD.status AND NEW.capacity IS NOT DISTINCT FROM OLD.capacity THEN
          RETURN NEW;
        END IF;
        SELECT * INTO place FROM spaces WHERE id = NEW.space_id FOR SHARE;
        IF NOT FOUND OR place.archived_at IS NOT NULL THEN
          RAISE EXCEPTION 'the space % was deleted', NEW.space_id
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'spaces_archived_keep_items_out';
        END IF;
        IF NEW.capacity > place.capacity THEN
          RAISE EXCEPTION 'capacity % is above the space''s %', NEW.capacity, place.capacity
            USING ERRCODE = 'check_violation', CONSTRAINT = 'programme_items_within_space_capacity';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER programme_items_fit_their_space
        BEFORE INSERT OR UPDATE OF space_id, starts_at, ends_at, status, capacity ON programme_items
        FOR EACH ROW EXECUTE FUNCTION programme_items_fit_their_space()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER programme_items_fit_their_space ON programme_items`);
    await q.query(`DROP FUNCTION programme_items_fit_their_space()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION bump_programmes_of_pavilion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'venues' THEN
          UPDATE programmes SET revision = nextval('public_revision_seq')
           WHERE pavilion_id IN (SELECT id FROM pavilions WHERE venue_id = NEW.id);
        ELSE
          UPDATE programmes SET revision = nextval('public_revision_seq')
           WHERE pavilion_id = CASE WHEN TG_TABLE_NAME = 'spaces' THEN NEW.pavilion_id ELSE NEW.id END;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`DROP INDEX spaces_pavilion_name_key`);
    await q.query(`CREATE UNIQUE INDEX spaces_pavilion_name_key ON spaces (pavilion_id, lower(name))`);
    for (const table of ['venues', 'pavilions', 'spaces', 'speakers'])
      await q.query(`ALTER TABLE ${table} DROP COLUMN archived_at`);
  }
}
