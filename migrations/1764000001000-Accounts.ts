import { MigrationInterface, QueryRunner } from 'typeorm';

export class Accounts1764000001000 implements MigrationInterface {
  name = 'Accounts1764000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email)),
        password_hash text NOT NULL,
        display_name text NOT NULL,
        role text NOT NULL DEFAULT 'attendee' CHECK (role IN ('admin', 'organizer', 'attendee')),
        locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'ru', 'kk')),
        timezone text,
        notification_preferences jsonb NOT NULL DEFAULT '{"email": true, "reminders": true}',
        calendar_feed_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);
    await q.query(`CREATE UNIQUE INDEX users_calendar_feed_token_key ON users (calendar_feed_token)`);

    await q.query(`
      CREATE TABLE organization_members (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, user_id)
      )`);
    await q.query(`CREATE INDEX organization_members_user_idx ON organization_members (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE organization_members`);
    await q.query(`DROP TABLE users`);
  }
}
