import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The contracts through which one lib reads (or, for seat counters, writes) another lib's tables: views, so no
 * lib's SQL names a table it does not own (libs/database/src/table-owners.ts lists who owns what and who reads
 * which view; a unit test holds the code to it).
 *
 * item_facts joins an item's programme and place with LEFT JOINs on unique keys: PostgreSQL drops a LEFT JOIN
 * whose columns a query does not use, so a read through it costs no more than the joins it replaces.
 */
export class CrossLibContracts1764000030100 implements MigrationInterface {
  name = 'CrossLibContracts1764000030100';

  async up(q: QueryRunner): Promise<void> {
    // The programmes lib's item as others need it: its programme's facts and its place (NULL while unplaced).
    await q.query(`
      CREATE VIEW item_facts AS
      SELECT i.id, i.programme_id, p.organization_id, p.status AS programme_status,
             p.reminder_offsets_minutes AS reminder_offsets, i.title, i.status, i.version, i.starts_at, i.ends_at,
             i.during, i.registration_required, i.meeting_minutes, i.cancel_reason, i.updated_at, i.space_id,
             s.name AS space_name, pv.name AS pavilion_name, v.name AS venue_name, v.city AS venue_city, v.timezone
        FROM programme_items i
        LEFT JOIN programmes p ON p.id = i.programme_id
        LEFT JOIN spaces s ON s.id = i.space_id
        LEFT JOIN pavilions pv ON pv.id = s.pavilion_id
        LEFT JOIN venues v ON v.id = pv.venue_id`);

    // The seat counters the registrations lib keeps under the item's row lock, and what its rules read. One
    // table, so the view is updatable and FOR UPDATE through it locks the item's row alone.
    await q.query(`
      CREATE VIEW item_seats AS
      SELECT id, status, version, starts_at, during, registration_required, registration_opens_at,
             registration_closes_at, meeting_minutes, capacity, confirmed_count, waitlist_count, waitlist_seq
        FROM programme_items`);

    // The auth lib's person as notices and registrant lists name them.
    await q.query(`
      CREATE VIEW person_facts AS
      SELECT id, email, display_name, locale, notification_preferences FROM users`);

    // Who acts for an organization (not its check-in staff): they hear of its items being displaced.
    await q.query(`
      CREATE VIEW organization_organizers AS
      SELECT organization_id, user_id FROM organization_members WHERE role = 'organizer'`);

    // The registrations lib's registrants with what a notice to them needs: their person, check-in code, what
    // they were last told of the item's time and place, and their place on the waitlist. An inner join, so a
    // change notice can lock its registrants' rows through it (FOR UPDATE refuses the nullable side of a join).
    await q.query(`
      CREATE VIEW registration_audience AS
      SELECT r.id AS registration_id, r.item_id, r.user_id, r.status, r.cancel_reason, r.check_in_code,
             r.checked_in_at, r.created_at, r.promoted_at, r.told_starts_at, r.told_ends_at, r.told_space_id,
             CASE WHEN r.status = 'waitlisted' THEN (
               SELECT count(*)::int + 1 FROM registrations w
                WHERE w.item_id = r.item_id AND w.status = 'waitlisted' AND w.waitlist_seq < r.waitlist_seq
             ) END AS waitlist_position,
             u.email, u.display_name, u.locale, u.notification_preferences
        FROM registrations r JOIN users u ON u.id = r.user_id`);

    // The meetings lib's scheduled meetings as time a person has committed: they block a seat elsewhere.
    await q.query(`
      CREATE VIEW meeting_commitments AS
      SELECT user_id, meeting_id, item_id, during FROM person_commitments WHERE kind = 'meeting'`);

    // The venues lib's space as a booking needs it; one table, so FOR UPDATE through it locks the space alone.
    await q.query(`
      CREATE VIEW space_capacities AS
      SELECT id, pavilion_id, capacity, tables FROM spaces`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const view of [
      'space_capacities',
      'meeting_commitments',
      'registration_audience',
      'organization_organizers',
      'person_facts',
      'item_seats',
      'item_facts',
    ])
      await q.query(`DROP VIEW ${view}`);
  }
}
