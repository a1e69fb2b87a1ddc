import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Items without a place (`unplaced`: a duration and placement constraints, no space or time, blocking
 * nothing), speakers' availability, and scheduling runs: a snapshot in, the worker's proposal out.
 */
export class Scheduling1764000012000 implements MigrationInterface {
  name = 'Scheduling1764000012000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE programme_items
        ALTER COLUMN space_id DROP NOT NULL,
        ALTER COLUMN starts_at DROP NOT NULL,
        ALTER COLUMN ends_at DROP NOT NULL,
        ADD COLUMN duration_minutes integer CHECK (duration_minutes BETWEEN 5 AND 1440),
        ADD COLUMN placement jsonb NOT NULL DEFAULT '{}',
        -- No capacity was given: the item takes its space's capacity when it is placed.
        ADD COLUMN capacity_from_space boolean NOT NULL DEFAULT false,
        DROP CONSTRAINT programme_items_status_check,
        ADD CONSTRAINT programme_items_status_check CHECK (status IN ('scheduled', 'cancelled', 'unplaced')),
        ADD CONSTRAINT programme_items_placed_or_not CHECK (
          CASE WHEN status = 'unplaced'
            THEN space_id IS NULL AND starts_at IS NULL AND ends_at IS NULL AND duration_minutes IS NOT NULL
            ELSE space_id IS NOT NULL AND starts_at IS NOT NULL AND ends_at IS NOT NULL
          END)`);
    // Unplaced items block nothing: neither the space (they have none) nor their speakers. Deferrable, so
    // that applying a plan may move items into each other's old places within one transaction.
    await q.query(`ALTER TABLE programme_items DROP CONSTRAINT programme_items_space_no_overlap`);
    await q.query(`
      ALTER TABLE programme_items ADD CONSTRAINT programme_items_space_no_overlap
        EXCLUDE USING gist (space_id WITH =, during WITH &&) WHERE (status = 'scheduled')
        DEFERRABLE INITIALLY IMMEDIATE`);
    await q.query(`ALTER TABLE item_speakers DROP CONSTRAINT item_speakers_no_overlap`);
    await q.query(`
      ALTER TABLE item_speakers ADD CONSTRAINT item_speakers_no_overlap
        EXCLUDE USING gist (speaker_id WITH =, during WITH &&) WHERE (active) DEFERRABLE INITIALLY IMMEDIATE`);
    await q.query(`
      CREATE OR REPLACE FUNCTION item_speakers_follow_item() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE item_speakers SET during = NEW.during, active = (NEW.status = 'scheduled') WHERE item_id = NEW.id;
        RETURN NEW;
      END $$`);
    await q.query(`UPDATE item_speakers SET active = false WHERE active AND isempty(during)`);

    await q.query(`ALTER TABLE speakers ADD COLUMN availability jsonb`);

    await q.query(`
      CREATE TABLE scheduling_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        programme_id uuid NOT NULL REFERENCES programmes (id),
        status text NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        options jsonb NOT NULL,
        snapshot jsonb NOT NULL,
        progress real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
        result jsonb,
        error text,
        attempts integer NOT NULL DEFAULT 0,
        -- The worker running it renews this; a run whose lease lapsed lost its worker.
        lease_until timestamptz,
        started_at timestamptz,
        finished_at timestamptz,
        applied_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One run at a time per programme, whatever the concurrency of the requests.
    await q.query(`
      CREATE UNIQUE INDEX scheduling_runs_one_live_per_programme
        ON scheduling_runs (programme_id) WHERE status IN ('queued', 'running')`);
    await q.query(
      `CREATE INDEX scheduling_runs_live_idx ON scheduling_runs (lease_until) WHERE status = 'running'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scheduling_runs`);
    await q.query(`ALTER TABLE speakers DROP COLUMN availability`);
    await q.query(`DELETE FROM programme_items WHERE status = 'unplaced'`);
    await q.query(`
      CREATE OR REPLACE FUNCTION item_speakers_follow_item() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE item_speakers SET during = NEW.during, active = (NEW.status <> 'cancelled') WHERE item_id = NEW.id;
        RETURN NEW;
      END $$`);
    await q.query(`ALTER TABLE item_speakers DROP CONSTRAINT item_speakers_no_overlap`);
    await q.query(`
      ALTER TABLE item_speakers ADD CONSTRAINT item_speakers_no_overlap
        EXCLUDE USING gist (speaker_id WITH =, during WITH &&) WHERE (active)`);
    await q.query(`ALTER TABLE programme_items DROP CONSTRAINT programme_items_space_no_overlap`);
    await q.query(`
      ALTER TABLE programme_items ADD CONSTRAINT programme_items_space_no_overlap
        EXCLUDE USING gist (space_id WITH =, during WITH &&) WHERE (status <> 'cancelled')`);
    await q.query(`
      ALTER TABLE programme_items
        DROP CONSTRAINT programme_items_placed_or_not,
        DROP CONSTRAINT programme_items_status_check,
        ADD CONSTRAINT programme_items_status_check CHECK (status IN ('scheduled', 'cancelled')),
        DROP COLUMN capacity_from_space,
        DROP COLUMN placement,
        DROP COLUMN duration_minutes,
        ALTER COLUMN ends_at SET NOT NULL,
        ALTER COLUMN starts_at SET NOT NULL,
        ALTER COLUMN space_id SET NOT NULL`);
  }
}
