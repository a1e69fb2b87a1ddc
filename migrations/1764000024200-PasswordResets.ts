import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Password reset by e-mail, and account erasure: single-use tokens kept only as SHA-256 digests, each with its expiry. A changed
 * password stamps `credentials_changed_at`; access tokens (and so site sessions) and dashboard cookies issued
 * before it are refused.
 */
export class PasswordResets1764000024200 implements MigrationInterface {
  name = 'PasswordResets1764000024200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN credentials_changed_at timestamptz`);
    // Account erasure keeps the row, anonymised, for the counts that refer to it.
    await q.query(`ALTER TABLE users ADD COLUMN erased_at timestamptz`);
    await q.query(`
      CREATE TABLE password_resets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX password_resets_user_idx ON password_resets (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE password_resets`);
    await q.query(`ALTER TABLE users DROP COLUMN erased_at`);
    await q.query(`ALTER TABLE users DROP COLUMN credentials_changed_at`);
  }
}
