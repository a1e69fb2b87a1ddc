import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Check-in staff: a membership is an organizer's (acts for the organization) or a checker's (may only check
 * people in for the organization's items). A person is one or the other in an organization.
 */
export class Checkers1764000024300 implements MigrationInterface {
  name = 'Checkers1764000024300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE organization_members
        ADD COLUMN role text NOT NULL DEFAULT 'organizer' CHECK (role IN ('organizer', 'checker'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organization_members DROP COLUMN role`);
  }
}
