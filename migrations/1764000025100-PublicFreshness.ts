import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Three changes to the public site's reads:
 * - `pavilion_public` notifications: every statement that writes what a public page or export shows (items, seat
 *   counts, programmes, and through their revision bumps speakers, spaces, pavilions and venues) notifies at
 *   commit, so an API process can keep programme fingerprints in memory and revalidate without a query.
 * - Renames of the pavilion or venue a published programme shows (name, city, time zone) are recorded in its
 *   changelog, as item-level space renames already are.
 * - The revision bump on pavilion updates no longer fails (see below).
 */
export class PublicFreshness1764000025100 implements MigrationInterface {
  name = 'PublicFreshness1764000025100';

  async up(q: QueryRunner): Promise<void> {
    // Statement-level: a registration rush sends one notification per transaction (identical ones are merged).
    await q.query(`
      CREATE FUNCTION notify_public_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('pavilion_public', '');
        RETURN NULL;
      END $$`);
    for (const table of ['programmes', 'programme_items'])
      await q.query(`
        CREATE TRIGGER ${table}_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION notify_public_change()`);

    // The revision bump of 1764000015000 read NEW.pavilion_id in an expression evaluated for pavilions too, where
    // the row has no such field: any update of a pavilion failed. Each table now has its own branch.
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
      CREATE FUNCTION record_place_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        changed text[];
      BEGIN
        IF TG_TABLE_NAME = 'pavilions' THEN
          changed := CASE WHEN OLD.name IS DISTINCT FROM NEW.name THEN ARRAY['pavilion'] ELSE '{}' END;
          INSERT INTO programme_changes (programme_id, kind, fields, before, after)
          SELECT p.id, 'programme_changed', changed,
                 jsonb_build_object('pavilion', OLD.name), jsonb_build_object('pavilion', NEW.name)
            FROM programmes p
           WHERE p.pavilion_id = NEW.id AND p.status = 'published' AND cardinality(changed) > 0;
        ELSE
          changed := ARRAY(SELECT f FROM unnest(ARRAY['venue', 'city', 'timezone']) f
                            WHERE CASE f WHEN 'venue' THEN OLD.name IS DISTINCT FROM NEW.name
                                         WHEN 'city' THEN OLD.city IS DISTINCT FROM NEW.city
                                         ELSE OLD.timezone IS DISTINCT FROM NEW.timezone END);
          INSERT INTO programme_changes (programme_id, kind, fields, before, after)
          SELECT p.id, 'programme_changed', changed,
                 jsonb_build_object('venue', OLD.name, 'city', OLD.city, 'timezone', OLD.timezone),
                 jsonb_build_object('venue', NEW.name, 'city', NEW.city, 'timezone', NEW.timezone)
            FROM programmes p JOIN pavilions pv ON pv.id = p.pavilion_id
           WHERE pv.venue_id = NEW.id AND p.status = 'published' AND cardinality(changed) > 0;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER pavilions_changelog AFTER UPDATE OF name ON pavilions
        FOR EACH ROW EXECUTE FUNCTION record_place_change()`);
    await q.query(`
      CREATE TRIGGER venues_changelog AFTER UPDATE OF name, city, timezone ON venues
        FOR EACH ROW EXECUTE FUNCTION record_place_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    // bump_programmes_of_pavilion keeps its corrected body: the old one could not update a pavilion.
    await q.query(`DROP TRIGGER venues_changelog ON venues`);
    await q.query(`DROP TRIGGER pavilions_changelog ON pavilions`);
    await q.query(`DROP FUNCTION record_place_change()`);
    for (const table of ['programmes', 'programme_items']) await q.query(`DROP TRIGGER ${table}_notify ON ${table}`);
    await q.query(`DROP FUNCTION notify_public_change()`);
  }
}
