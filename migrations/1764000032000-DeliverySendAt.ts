import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a delivery's send job releases it, where that is not its due time: a reminder paced under
 * SMTP_MAX_PER_SECOND leaves before its due time, or after it when the cap cannot make it. The backstop re-queues
 * a pending row only once this time (or, without it, the due time) has passed, so it never takes over a paced
 * send that is still waiting for its turn.
 */
export class DeliverySendAt1764000032000 implements MigrationInterface {
  name = 'DeliverySendAt1764000032000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries ADD COLUMN send_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries DROP COLUMN send_at`);
  }
}
