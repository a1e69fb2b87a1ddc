import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the notifications lib reads of meetings and requests to tell their parties: each meeting with both
 * parties' names and companies, each request with its sender's and recipient's. Views, so the notifications lib
 * never names the meetings lib's tables.
 */
export class MeetingNotices1764000013100 implements MigrationInterface {
  name = 'MeetingNotices1764000013100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE VIEW b2b_meeting_notice_facts AS
      SELECT m.id, m.item_id, m.status, m.version, m.starts_at, m.ends_at, m.table_number, m.cancel_reason,
             m.user_a, ua.display_name AS name_a, pa.company AS company_a,
             m.user_b, ub.display_name AS name_b, pb.company AS company_b
        FROM b2b_meetings m
        JOIN b2b_participants pa ON pa.id = m.participant_a JOIN users ua ON ua.id = m.user_a
        JOIN b2b_participants pb ON pb.id = m.participant_b JOIN users ub ON ub.id = m.user_b`);
    await q.query(`
      CREATE VIEW b2b_request_notice_facts AS
      SELECT r.id, r.item_id, r.status, r.message,
             f.user_id AS from_user, fu.display_name AS from_name, f.company AS from_company,
             t.user_id AS to_user, tu.display_name AS to_name, t.company AS to_company
        FROM b2b_requests r
        JOIN b2b_participants f ON f.id = r.from_participant_id JOIN users fu ON fu.id = f.user_id
        JOIN b2b_participants t ON t.id = r.to_participant_id JOIN users tu ON tu.id = t.user_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW b2b_request_notice_facts`);
    await q.query(`DROP VIEW b2b_meeting_notice_facts`);
  }
}
