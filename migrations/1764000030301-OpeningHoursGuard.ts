import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A placed item lies inside its pavilion's opening hours, guarded by the database as closures are: a new place
 * (insert, move, or an unplaced item placed) is checked against the opening hours under a share lock on the
 * space's row, and a change of opening hours holds the pavilion's spaces for update while it checks (or
 * displaces) the items it leaves outside. Whichever commits first, the other sees it: an item booked while the
 * hours shrink is either seen and refused by the shrink, or refused itself. Items already displaced keep their
 * place (they read displaced until moved); only a new place must fit.
 */
export class OpeningHoursGuard1764000030301 implements MigrationInterface {
  name = 'OpeningHoursGuard1764000030301';

  async up(q: QueryRunner): Promise<void> {
    // The rule of libs/venues/src/opening-hours.ts: the local date's own rows if any, else its weekday's; the
    // item within one interval of its start's date; an end at exactly midnight counts as 24:00 of that date.
    await q.query(`
      CREATE FUNCTION within_opening_hours(p_pavilion uuid, p_zone text, p_starts timestamptz, p_ends timestamptz)
        RETURNS boolean LANGUAGE sql STABLE AS $$
        WITH local AS (
          SELECT p_starts AT TIME ZONE p_zone AS s, p_ends AT TIME ZONE p_zone AS e),
        span AS (
          SELECT s::date AS day, extract(isodow FROM s)::int AS weekday,
                 extract(hour FROM s)::int * 60 + extract(minute FROM s)::int AS opens_at,
                 CASE WHEN e::time = '00:00' AND e::date > s::date THEN s::date ELSE e::date END AS end_day,
                 CASE WHEN e::time = '00:00' AND e::date > s::date THEN 1440
                      ELSE extract(hour FROM e)::int * 60 + extract(minute FROM e)::int END AS closes_at
            FROM local)
        SELECT span.end_day = span.day AND EXISTS (
                 SELECT 1 FROM opening_hours h
                  WHERE h.pavilion_id = p_pavilion
                    AND (h.on_date = span.day
                         OR (h.weekday = span.weekday AND NOT EXISTS (
                               SELECT 1 FROM opening_hours d WHERE d.pavilion_id = p_pavilion AND d.on_date = span.day)))
                    AND h.opens_minute <= span.opens_at AND span.closes_at <= h.closes_minute)
          FROM span
      $$`);
    await q.query(`
      CREATE FUNCTION programme_items_keep_within_opening_hours() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        pavilion uuid;
        zone text;
      BEGIN
        IF NEW.status <> 'scheduled' OR NEW.space_id IS NULL THEN
          RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.space_id IS NOT DISTINCT FROM OLD.space_id
           AND NEW.starts_at IS NOT DISTINCT FROM OLD.starts_at AND NEW.ends_at IS NOT DISTINCT FROM OLD.ends_at
           AND NEW.status IS NOT DISTINCT FROM OLD.status THEN
          RETURN NEW;
        END IF;
        -- The lock a change of opening hours takes for update (venues.repository updatePavilion, lockSpaces).
        SELECT s.pavilion_id, v.timezone INTO pavilion, zone
          FROM spaces s JOIN pavilions p ON p.id = s.pavilion_id JOIN venues v ON v.id = p.venue_id
         WHERE s.id = NEW.space_id
           FOR SHARE OF s;
        IF NOT within_opening_hours(pavilion, zone, NEW.starts_at, NEW.ends_at) THEN
          RAISE EXCEPTION 'the pavilion is not open for the whole item'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'programme_items_within_opening_hours';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER programme_items_keep_within_opening_hours
        BEFORE INSERT OR UPDATE OF space_id, starts_at, ends_at, status ON programme_items
        FOR EACH ROW EXECUTE FUNCTION programme_items_keep_within_opening_hours()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER programme_items_keep_within_opening_hours ON programme_items`);
    await q.query(`DROP FUNCTION programme_items_keep_within_opening_hours()`);
    await q.query(`DROP FUNCTION within_opening_hours(uuid, text, timestamptz, timestamptz)`);
  }
}
