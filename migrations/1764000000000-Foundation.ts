import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    await q.query(`
      CREATE TABLE venues (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        city text NOT NULL,
        country text NOT NULL,
        timezone text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE pavilions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        venue_id uuid NOT NULL REFERENCES venues (id),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX pavilions_venue_idx ON pavilions (venue_id)`);

    // Weekly hours (weekday) or the hours of one date (on_date); a date's own rows replace its weekday's.
    await q.query(`
      CREATE TABLE opening_hours (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        pavilion_id uuid NOT NULL REFERENCES pavilions (id) ON DELETE CASCADE,
        weekday smallint CHECK (weekday BETWEEN 1 AND 7),
        on_date date,
        opens_minute smallint NOT NULL,
        closes_minute smallint NOT NULL,
        CONSTRAINT opening_hours_one_kind CHECK ((weekday IS NULL) <> (on_date IS NULL)),
        CONSTRAINT opening_hours_order CHECK (opens_minute >= 0 AND closes_minute <= 1440 AND closes_minute > opens_minute)
      )`);
    await q.query(`CREATE INDEX opening_hours_pavilion_idx ON opening_hours (pavilion_id)`);

    await q.query(`
      CREATE TABLE spaces (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        pavilion_id uuid NOT NULL REFERENCES pavilions (id),
        name text NOT NULL,
        capacity integer NOT NULL CHECK (capacity > 0),
        kind text NOT NULL CHECK (kind IN ('hall', 'conference_room', 'round_table', 'b2b_zone', 'stage', 'other')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX spaces_pavilion_name_key ON spaces (pavilion_id, lower(name))`);

    await q.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX organizations_name_key ON organizations (lower(name))`);

    await q.query(`
      CREATE TABLE speakers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        affiliation text,
        email text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE programmes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations (id),
        pavilion_id uuid NOT NULL REFERENCES pavilions (id),
        title text NOT NULL,
        description text,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        languages text[] NOT NULL DEFAULT '{}',
        reminder_offsets_minutes integer[] NOT NULL DEFAULT '{1440,60}',
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
        published_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT programmes_dates_order CHECK (ends_on >= starts_on)
      )`);
    await q.query(`CREATE INDEX programmes_organization_idx ON programmes (organization_id)`);

    await q.query(`
      CREATE TABLE programme_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        programme_id uuid NOT NULL REFERENCES programmes (id),
        space_id uuid NOT NULL REFERENCES spaces (id),
        type text NOT NULL CHECK (type IN ('regional_day', 'opening_ceremony', 'business_forum', 'conference',
          'round_table', 'b2b_meetings', 'negotiations', 'presentation', 'exhibition', 'other')),
        title text NOT NULL,
        description text,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        during tstzrange GENERATED ALWAYS AS (tstzrange(starts_at, ends_at, '[)')) STORED,
        capacity integer NOT NULL CHECK (capacity > 0),
        languages text[] NOT NULL DEFAULT '{}',
        registration_required boolean NOT NULL DEFAULT true,
        registration_opens_at timestamptz,
        registration_closes_at timestamptz,
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
        cancel_reason text,
        cancelled_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT programme_items_time_order CHECK (ends_at > starts_at),
        CONSTRAINT programme_items_space_no_overlap
          EXCLUDE USING gist (space_id WITH =, during WITH &&) WHERE (status <> 'cancelled')
      )`);
    await q.query(
      `CREATE INDEX programme_items_programme_start_idx ON programme_items (programme_id, starts_at, id)`,
    );

    // Carries the item's range so PostgreSQL itself keeps a speaker out of two items at once.
    await q.query(`
      CREATE TABLE item_speakers (
        item_id uuid NOT NULL REFERENCES programme_items (id) ON DELETE CASCADE,
        speaker_id uuid NOT NULL REFERENCES speakers (id),
        position smallint NOT NULL DEFAULT 0,
        during tstzrange NOT NULL,
        active boolean NOT NULL DEFAULT true,
        PRIMARY KEY (item_id, speaker_id),
        CONSTRAINT item_speakers_no_overlap EXCLUDE USING gist (speaker_id WITH =, during WITH &&) WHERE (active)
      )`);
    await q.query(`
      CREATE FUNCTION item_speakers_follow_item() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE item_speakers SET during = NEW.during, active = (NEW.status <> 'cancelled') WHERE item_id = NEW.id;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER programme_items_speakers_follow
        AFTER UPDATE OF starts_at, ends_at, status ON programme_items
        FOR EACH ROW EXECUTE FUNCTION item_speakers_follow_item()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER programme_items_speakers_follow ON programme_items`);
    await q.query(`DROP FUNCTION item_speakers_follow_item()`);
    await q.query(`DROP TABLE item_speakers`);
    await q.query(`DROP TABLE programme_items`);
    await q.query(`DROP TABLE programmes`);
    await q.query(`DROP TABLE speakers`);
    await q.query(`DROP TABLE organizations`);
    await q.query(`DROP TABLE spaces`);
    await q.query(`DROP TABLE opening_hours`);
    await q.query(`DROP TABLE pavilions`);
    await q.query(`DROP TABLE venues`);
  }
}
