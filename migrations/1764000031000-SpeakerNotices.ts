import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Speakers with an e-mail are told when their items move or are cancelled, as registrants are:
 * - `item_speakers` keeps what each speaker was last told of the item's time and place (`told_*`, set to the item's
 *   place when the speaker is put on it), so a change notice tells the net change and never a stale time;
 * - `speaker_audience`, the programmes lib's view of the speakers a notice goes to (the notifications lib reads it):
 *   their address, name, language (the account's of that address, else the programme's first, else English) and
 *   the account of that address, which is how a speaker who also registered for the item gets one letter, not two;
 * - a delivery may go to a speaker (`speaker_id`): exactly one of user, webhook and speaker.
 */
export class SpeakerNotices1764000031000 implements MigrationInterface {
  name = 'SpeakerNotices1764000031000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE item_speakers
        ADD COLUMN told_starts_at timestamptz,
        ADD COLUMN told_ends_at timestamptz,
        ADD COLUMN told_space_id uuid`);
    await q.query(`
      UPDATE item_speakers isp SET told_starts_at = i.starts_at, told_ends_at = i.ends_at, told_space_id = i.space_id
        FROM programme_items i WHERE i.id = isp.item_id`);
    await q.query(`
      CREATE FUNCTION item_speakers_told_current() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.told_starts_at IS NULL THEN
          SELECT starts_at, ends_at, space_id INTO NEW.told_starts_at, NEW.told_ends_at, NEW.told_space_id
            FROM programme_items WHERE id = NEW.item_id;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER item_speakers_told BEFORE INSERT ON item_speakers
        FOR EACH ROW EXECUTE FUNCTION item_speakers_told_current()`);

    await q.query(`
      CREATE VIEW speaker_audience AS
      SELECT isp.item_id, s.id AS speaker_id, s.email, s.name, u.id AS user_id,
             coalesce(u.locale, (SELECT l FROM unnest(p.languages) l WHERE l IN ('en', 'ru', 'kk') LIMIT 1), 'en')
               AS locale,
             isp.told_starts_at, isp.told_ends_at, isp.told_space_id
        FROM item_speakers isp
        JOIN speakers s ON s.id = isp.speaker_id
        JOIN programme_items i ON i.id = isp.item_id
        JOIN programmes p ON p.id = i.programme_id
        LEFT JOIN users u ON u.email = lower(s.email)
       WHERE s.email IS NOT NULL AND s.email <> ''`);

    await q.query(`
      ALTER TABLE deliveries
        ADD COLUMN speaker_id uuid REFERENCES speakers (id) ON DELETE CASCADE,
        DROP CONSTRAINT deliveries_one_recipient,
        ADD CONSTRAINT deliveries_one_recipient CHECK (num_nonnulls(user_id, webhook_id, speaker_id) = 1)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM deliveries WHERE speaker_id IS NOT NULL`);
    await q.query(`
      ALTER TABLE deliveries
        DROP CONSTRAINT deliveries_one_recipient,
        DROP COLUMN speaker_id,
        ADD CONSTRAINT deliveries_one_recipient CHECK ((user_id IS NULL) <> (webhook_id IS NULL))`);
    await q.query(`DROP VIEW speaker_audience`);
    await q.query(`DROP TRIGGER item_speakers_told ON item_speakers`);
    await q.query(`DROP FUNCTION item_speakers_told_current()`);
    await q.query(`
      ALTER TABLE item_speakers DROP COLUMN told_starts_at, DROP COLUMN told_ends_at, DROP COLUMN told_space_id`);
  }
}
