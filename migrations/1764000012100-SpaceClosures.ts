import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Space closures and displaced items. A closure keeps new bookings out of a space for a time; items already
 * there keep their place but read displaced (`displaced_by`: why) until they move. The database decides both:
 * a trigger refuses a new place in a closed space, serialized with closing it on the space's row, and
 * `displace_items_in` marks what a closed range catches (shared by every flow that closes time: closures,
 * and opening hours that shrink) and tells the organizers through the outbox.
 */
export class SpaceClosures1764000012100 implements MigrationInterface {
  name = 'SpaceClosures1764000012100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE space_closures (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        space_id uuid NOT NULL REFERENCES spaces (id),
        during tstzrange NOT NULL CHECK (NOT isempty(during) AND NOT lower_inf(during) AND NOT upper_inf(during)),
        reason text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX space_closures_space_during_idx ON space_closures USING gist (space_id, during)`,
    );

    // [{code, detail, closureId? | speakerId?}]; empty: not displaced.
    await q.query(`ALTER TABLE programme_items ADD COLUMN displaced_by jsonb NOT NULL DEFAULT '[]'`);
    await q.query(
      `CREATE INDEX programme_items_displaced_idx ON programme_items (programme_id) WHERE displaced_by <> '[]'`,
    );

    // A new place (insert, move, or an unplaced item placed) must not be in a closed space. The share lock on
    // the space's row orders this against a closure being written, which takes it for update.
    await q.query(`
      CREATE FUNCTION programme_items_keep_out_of_closures() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        closure space_closures;
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          IF NEW.space_id IS DISTINCT FROM OLD.space_id OR NEW.starts_at IS DISTINCT FROM OLD.starts_at
             OR NEW.ends_at IS DISTINCT FROM OLD.ends_at OR NEW.status IS DISTINCT FROM OLD.status THEN
            -- It moved (or was placed, cancelled): whatever displaced it is behind it.
            NEW.displaced_by := '[]';
          ELSE
            RETURN NEW;
          END IF;
        END IF;
        IF NEW.status <> 'scheduled' THEN
          RETURN NEW;
        END IF;
        PERFORM 1 FROM spaces WHERE id = NEW.space_id FOR SHARE;
        SELECT * INTO closure FROM space_closures c
         WHERE c.space_id = NEW.space_id AND c.during && tstzrange(NEW.starts_at, NEW.ends_at, '[)')
         ORDER BY lower(c.during) LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'the space is closed then: %', closure.reason
            USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'space_closures_keep_items_out',
                  DETAIL = closure.id::text;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER programme_items_keep_out_of_closures
        BEFORE INSERT OR UPDATE OF space_id, starts_at, ends_at, status ON programme_items
        FOR EACH ROW EXECUTE FUNCTION programme_items_keep_out_of_closures()`);

    // Adds a reason to the given placed items that do not carry it yet, and tells the
    // organization's organizers (outbox kind item_displaced). Returns the items it displaced.
    await q.query(`
      CREATE FUNCTION displace_items(item_ids uuid[], reason jsonb) RETURNS SETOF uuid LANGUAGE sql AS $$
        WITH hit AS (
          UPDATE programme_items i
             SET displaced_by = i.displaced_by || jsonb_build_array(reason), updated_at = now()
           WHERE i.id = ANY(item_ids) AND i.status = 'scheduled'
             AND NOT i.displaced_by @> jsonb_build_array(reason)
          RETURNING i.id, i.version),
        told AS (
          INSERT INTO outbox (kind, item_id, item_version, payload)
          SELECT 'item_displaced', hit.id, hit.version, jsonb_build_object('displacedBy', jsonb_build_array(reason))
            FROM hit)
        SELECT id FROM hit
      $$`);
    // The items of these spaces that overlap these ranges, displaced with this reason.
    await q.query(`
      CREATE FUNCTION displace_items_in(space_ids uuid[], ranges tstzmultirange, reason jsonb)
        RETURNS SETOF uuid LANGUAGE sql AS $$
        SELECT * FROM displace_items(ARRAY(
          SELECT i.id FROM programme_items i
           WHERE i.space_id = ANY(space_ids) AND i.status = 'scheduled' AND i.during && ranges), reason)
      $$`);
    // Takes back the reasons that contain `match` (a closure removed, availability restored), from the given
    // items or (null) from every item.
    await q.query(`
      CREATE FUNCTION undisplace_items(match jsonb, item_ids uuid[] DEFAULT NULL) RETURNS SETOF uuid
        LANGUAGE sql AS $$
        UPDATE programme_items i
           SET displaced_by = (SELECT coalesce(jsonb_agg(e), '[]') FROM jsonb_array_elements(i.displaced_by) e
                                WHERE NOT e @> match),
               updated_at = now()
         WHERE i.displaced_by @> jsonb_build_array(match) AND (item_ids IS NULL OR i.id = ANY(item_ids))
        RETURNING i.id
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION undisplace_items(jsonb, uuid[])`);
    await q.query(`DROP FUNCTION displace_items_in(uuid[], tstzmultirange, jsonb)`);
    await q.query(`DROP FUNCTION displace_items(uuid[], jsonb)`);
    await q.query(`DROP TRIGGER programme_items_keep_out_of_closures ON programme_items`);
    await q.query(`DROP FUNCTION programme_items_keep_out_of_closures()`);
    await q.query(`ALTER TABLE programme_items DROP COLUMN displaced_by`);
    await q.query(`DROP TABLE space_closures`);
  }
}
