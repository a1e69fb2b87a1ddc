import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * B2B meetings: tables in b2b zones, session fields on items, participants, requests, schedule runs, meetings,
 * and `person_commitments`, the one place that holds every person's committed time ranges (confirmed seats of
 * registration-required items and scheduled meetings) under exclusion constraints. Triggers keep it in step
 * with the writes of both libs, so neither lib can forget it.
 */
export class B2bMeetings1764000013000 implements MigrationInterface {
  name = 'B2bMeetings1764000013000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE spaces ADD COLUMN tables integer,
        ADD CONSTRAINT spaces_tables_in_b2b_zones CHECK (tables IS NULL OR (tables >= 1 AND kind = 'b2b_zone'))`);

    // A B2B session is a b2b_meetings item with meeting_minutes; its time is cut into slots of that length.
    await q.query(`
      ALTER TABLE programme_items
        ADD COLUMN meeting_minutes integer CHECK (meeting_minutes BETWEEN 5 AND 240),
        ADD COLUMN requests_per_participant integer NOT NULL DEFAULT 20 CHECK (requests_per_participant BETWEEN 1 AND 500),
        ADD COLUMN requests_close_at timestamptz,
        ADD CONSTRAINT programme_items_sessions_are_b2b CHECK (meeting_minutes IS NULL OR type = 'b2b_meetings')`);

    await q.query(`
      CREATE TABLE b2b_participants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES programme_items (id),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        company text NOT NULL,
        position text,
        sector text NOT NULL,
        offers text[] NOT NULL DEFAULT '{}',
        seeks text[] NOT NULL DEFAULT '{}',
        languages text[] NOT NULL CHECK (cardinality(languages) >= 1),
        about text,
        unavailable tstzmultirange NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        left_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX b2b_participants_one_per_person ON b2b_participants (item_id, user_id) WHERE status = 'active'`,
    );
    await q.query(`CREATE INDEX b2b_participants_user_idx ON b2b_participants (user_id)`);

    await q.query(`
      CREATE TABLE b2b_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES programme_items (id),
        from_participant_id uuid NOT NULL REFERENCES b2b_participants (id) ON DELETE CASCADE,
        to_participant_id uuid NOT NULL REFERENCES b2b_participants (id) ON DELETE CASCADE,
        message text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn')),
        created_at timestamptz NOT NULL DEFAULT now(),
        answered_at timestamptz,
        CONSTRAINT b2b_requests_not_to_self CHECK (from_participant_id <> to_participant_id)
      )`);
    // One live request per pair, whichever of the two sent it.
    await q.query(`
      CREATE UNIQUE INDEX b2b_requests_one_live_per_pair ON b2b_requests
        (item_id, least(from_participant_id, to_participant_id), greatest(from_participant_id, to_participant_id))
        WHERE status IN ('pending', 'accepted')`);
    await q.query(`CREATE INDEX b2b_requests_from_idx ON b2b_requests (from_participant_id, status)`);
    await q.query(`CREATE INDEX b2b_requests_to_idx ON b2b_requests (to_participant_id, status)`);

    await q.query(`
      CREATE TABLE b2b_schedule_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES programme_items (id),
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        progress real NOT NULL DEFAULT 0,
        time_limit_seconds integer NOT NULL CHECK (time_limit_seconds BETWEEN 1 AND 120),
        result jsonb,
        error text,
        heartbeat_at timestamptz,
        started_at timestamptz,
        finished_at timestamptz,
        published_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX b2b_schedule_runs_one_live ON b2b_schedule_runs (item_id) WHERE status IN ('queued', 'running')`,
    );

    await q.query(`
      CREATE TABLE b2b_meetings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES programme_items (id),
        request_id uuid NOT NULL REFERENCES b2b_requests (id),
        run_id uuid REFERENCES b2b_schedule_runs (id),
        participant_a uuid NOT NULL REFERENCES b2b_participants (id),
        participant_b uuid NOT NULL REFERENCES b2b_participants (id),
        user_a uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        user_b uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        slot_index integer NOT NULL CHECK (slot_index >= 0),
        table_number integer NOT NULL CHECK (table_number >= 1),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        during tstzrange GENERATED ALWAYS AS (tstzrange(starts_at, ends_at, '[)')) STORED,
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
        cancel_reason text,
        cancelled_by uuid,
        cancelled_at timestamptz,
        attendance text CHECK (attendance IN ('held', 'no_show')),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT b2b_meetings_two_people CHECK (user_a <> user_b AND participant_a <> participant_b),
        CONSTRAINT b2b_meetings_table_place_once
          EXCLUDE USING gist (item_id WITH =, table_number WITH =, during WITH &&) WHERE (status = 'scheduled')
      )`);
    await q.query(
      `CREATE UNIQUE INDEX b2b_meetings_one_per_request ON b2b_meetings (request_id) WHERE status = 'scheduled'`,
    );
    await q.query(`CREATE INDEX b2b_meetings_item_idx ON b2b_meetings (item_id, starts_at, table_number)`);
    await q.query(`CREATE INDEX b2b_meetings_user_a_idx ON b2b_meetings (user_a)`);
    await q.query(`CREATE INDEX b2b_meetings_user_b_idx ON b2b_meetings (user_b)`);

    // Every person's committed time: seats of registration-required items (not B2B sessions: joining one is not a
    // seat) and scheduled meetings. A meeting never overlaps a seat or another meeting of the same person; two
    // seats may (an organizer moving an item is not refused because a registrant chose another item too).
    await q.query(`
      CREATE TABLE person_commitments (
        id bigserial PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        during tstzrange NOT NULL,
        kind text NOT NULL CHECK (kind IN ('registration', 'meeting')),
        item_id uuid NOT NULL,
        registration_id uuid UNIQUE REFERENCES registrations (id) ON DELETE CASCADE,
        meeting_id uuid REFERENCES b2b_meetings (id) ON DELETE CASCADE,
        CONSTRAINT person_commitments_one_source CHECK ((registration_id IS NULL) <> (meeting_id IS NULL)),
        CONSTRAINT person_commitments_seat_vs_meeting
          EXCLUDE USING gist (user_id WITH =, during WITH &&, kind WITH <>),
        CONSTRAINT person_commitments_meeting_vs_meeting
          EXCLUDE USING gist (user_id WITH =, during WITH &&) WHERE (kind = 'meeting')
      )`);
    await q.query(
      `CREATE UNIQUE INDEX person_commitments_meeting_person ON person_commitments (meeting_id, user_id)`,
    );

    // Registrations → commitments: a confirmed seat of a registration-required item (not a session) commits its time.
    await q.query(`
      CREATE FUNCTION registrations_commit_time() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'confirmed' THEN
          INSERT INTO person_commitments (user_id, during, kind, item_id, registration_id)
          SELECT NEW.user_id, i.during, 'registration', i.id, NEW.id FROM programme_items i
           WHERE i.id = NEW.item_id AND i.status <> 'cancelled' AND i.registration_required AND i.meeting_minutes IS NULL
          ON CONFLICT (registration_id) DO NOTHING;
        ELSE
          DELETE FROM person_commitments WHERE registration_id = NEW.id;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER registrations_commitments AFTER INSERT OR UPDATE OF status ON registrations
        FOR EACH ROW EXECUTE FUNCTION registrations_commit_time()`);

    // Meetings → commitments: both parties commit the meeting's time while it is scheduled.
    await q.query(`
      CREATE FUNCTION b2b_meetings_commit_time() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'scheduled' THEN
          IF TG_OP = 'UPDATE' THEN
            UPDATE person_commitments SET during = NEW.during WHERE meeting_id = NEW.id;
          END IF;
          INSERT INTO person_commitments (user_id, during, kind, item_id, meeting_id)
          VALUES (NEW.user_a, NEW.during, 'meeting', NEW.item_id, NEW.id), (NEW.user_b, NEW.during, 'meeting', NEW.item_id, NEW.id)
          ON CONFLICT (meeting_id, user_id) DO NOTHING;
        ELSE
          DELETE FROM person_commitments WHERE meeting_id = NEW.id;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER b2b_meetings_commitments AFTER INSERT OR UPDATE OF status, starts_at, ends_at ON b2b_meetings
        FOR EACH ROW EXECUTE FUNCTION b2b_meetings_commit_time()`);

    // A scheduled meeting lies on one slot of a live session, at one of its tables, between two participants of
    // that session who share a language, outside both persons' unavailable ranges.
    await q.query(`
      CREATE FUNCTION b2b_meetings_check_place() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        s record;
        a record;
        b record;
      BEGIN
        IF NEW.status <> 'scheduled' THEN RETURN NEW; END IF;
        SELECT i.starts_at, i.ends_at, i.meeting_minutes, i.status, sp.tables INTO s
          FROM programme_items i JOIN spaces sp ON sp.id = i.space_id WHERE i.id = NEW.item_id FOR SHARE OF i;
        IF s.meeting_minutes IS NULL OR s.status = 'cancelled'
           OR NEW.starts_at <> s.starts_at + NEW.slot_index * s.meeting_minutes * interval '1 minute'
           OR NEW.ends_at <> NEW.starts_at + s.meeting_minutes * interval '1 minute'
           OR NEW.ends_at > s.ends_at OR NEW.table_number > coalesce(s.tables, 0) THEN
          RAISE EXCEPTION 'meeting % is not on a slot and table of its session', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'b2b_meetings_inside_session';
        END IF;
        SELECT user_id, languages, unavailable, status, item_id INTO a FROM b2b_participants WHERE id = NEW.participant_a;
        SELECT user_id, languages, unavailable, status, item_id INTO b FROM b2b_participants WHERE id = NEW.participant_b;
        IF a.status <> 'active' OR b.status <> 'active' OR a.item_id <> NEW.item_id OR b.item_id <> NEW.item_id
           OR a.user_id <> NEW.user_a OR b.user_id <> NEW.user_b
           OR NOT (a.languages && b.languages)
           OR a.unavailable && NEW.during OR b.unavailable && NEW.during THEN
          RAISE EXCEPTION 'meeting % breaks a rule about its parties', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'b2b_meetings_parties_fit';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER b2b_meetings_place
        BEFORE INSERT OR UPDATE OF status, starts_at, ends_at, slot_index, table_number ON b2b_meetings
        FOR EACH ROW EXECUTE FUNCTION b2b_meetings_check_place()`);

    // Items → commitments and meetings. A session that moves takes its meetings along (same slot index and table),
    // cancelling those that would clash with a party's other commitments; a session too short for a scheduled
    // slot is refused, naming the meetings. A seat item that moves onto a registrant's meeting cancels the meeting.
    // A cancelled session cancels its meetings. Both parties of every cancelled meeting are told (outbox).
    await q.query(`
      CREATE FUNCTION programme_items_follow_commitments() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        too_late jsonb;
      BEGIN
        IF NEW.meeting_minutes IS NOT NULL AND NEW.status = 'cancelled' THEN
          WITH gone AS (
            UPDATE b2b_meetings SET status = 'cancelled', cancel_reason = 'session_cancelled', cancelled_at = now(), updated_at = now()
             WHERE item_id = NEW.id AND status = 'scheduled' RETURNING id, user_a, user_b)
          INSERT INTO outbox (kind, item_id, user_id, payload)
          SELECT 'meeting_cancelled', NEW.id, u, jsonb_build_object('meetingId', g.id, 'reason', 'session_cancelled')
            FROM gone g CROSS JOIN LATERAL (VALUES (g.user_a), (g.user_b)) AS t(u);
          RETURN NEW;
        END IF;

        IF NEW.meeting_minutes IS NOT NULL AND NEW.status <> 'cancelled'
           AND (NEW.starts_at, NEW.ends_at, NEW.meeting_minutes) IS DISTINCT FROM (OLD.starts_at, OLD.ends_at, OLD.meeting_minutes) THEN
          SELECT jsonb_agg(jsonb_build_object('meetingId', m.id, 'startsAt', m.starts_at, 'endsAt', m.ends_at) ORDER BY m.starts_at, m.table_number)
            INTO too_late
            FROM b2b_meetings m
           WHERE m.item_id = NEW.id AND m.status = 'scheduled'
             AND NEW.starts_at + (m.slot_index + 1) * NEW.meeting_minutes * interval '1 minute' > NEW.ends_at;
          IF too_late IS NOT NULL THEN
            RAISE EXCEPTION 'the session would lose scheduled meetings'
              USING ERRCODE = 'check_violation', CONSTRAINT = 'b2b_session_keeps_its_meetings', DETAIL = too_late::text;
          END IF;
          -- Meetings whose new time would clash with a party's commitments outside this session, or unavailability.
          WITH moved AS (
            SELECT m.id, m.user_a, m.user_b, m.participant_a, m.participant_b,
                   tstzrange(NEW.starts_at + m.slot_index * NEW.meeting_minutes * interval '1 minute',
                             NEW.starts_at + (m.slot_index + 1) * NEW.meeting_minutes * interval '1 minute', '[)') AS during
              FROM b2b_meetings m WHERE m.item_id = NEW.id AND m.status = 'scheduled'),
          clashing AS (
            SELECT mv.id FROM moved mv
             WHERE EXISTS (SELECT 1 FROM person_commitments c
                            WHERE c.user_id IN (mv.user_a, mv.user_b) AND c.during && mv.during AND c.item_id <> NEW.id)
                OR EXISTS (SELECT 1 FROM b2b_participants p
                            WHERE p.id IN (mv.participant_a, mv.participant_b) AND p.unavailable && mv.during)),
          gone AS (
            UPDATE b2b_meetings m SET status = 'cancelled', cancel_reason = 'clash', cancelled_at = now(), updated_at = now()
              FROM clashing c WHERE m.id = c.id RETURNING m.id, m.user_a, m.user_b)
          INSERT INTO outbox (kind, item_id, user_id, payload)
          SELECT 'meeting_cancelled', NEW.id, u, jsonb_build_object('meetingId', g.id, 'reason', 'clash')
            FROM gone g CROSS JOIN LATERAL (VALUES (g.user_a), (g.user_b)) AS t(u);
          -- The rest move as one: shifted by the same amount, they cannot clash with each other.
          UPDATE b2b_meetings m
             SET starts_at = NEW.starts_at + m.slot_index * NEW.meeting_minutes * interval '1 minute',
                 ends_at = NEW.starts_at + (m.slot_index + 1) * NEW.meeting_minutes * interval '1 minute',
                 version = m.version + 1, updated_at = now()
           WHERE m.item_id = NEW.id AND m.status = 'scheduled';
          INSERT INTO outbox (kind, item_id, user_id, payload)
          SELECT 'meeting_scheduled', NEW.id, u, jsonb_build_object('meetingId', m.id, 'moved', true)
            FROM b2b_meetings m CROSS JOIN LATERAL (VALUES (m.user_a), (m.user_b)) AS t(u)
           WHERE m.item_id = NEW.id AND m.status = 'scheduled';
          RETURN NEW;
        END IF;

        IF NEW.meeting_minutes IS NULL AND NEW.during IS DISTINCT FROM OLD.during AND NEW.status <> 'cancelled' THEN
          WITH gone AS (
            UPDATE b2b_meetings m SET status = 'cancelled', cancel_reason = 'clash', cancelled_at = now(), updated_at = now()
             WHERE m.status = 'scheduled' AND m.during && NEW.during
               AND EXISTS (SELECT 1 FROM person_commitments c
                            WHERE c.item_id = NEW.id AND c.kind = 'registration' AND c.user_id IN (m.user_a, m.user_b))
            RETURNING m.id, m.item_id, m.user_a, m.user_b)
          INSERT INTO outbox (kind, item_id, user_id, payload)
          SELECT 'meeting_cancelled', g.item_id, u, jsonb_build_object('meetingId', g.id, 'reason', 'clash')
            FROM gone g CROSS JOIN LATERAL (VALUES (g.user_a), (g.user_b)) AS t(u);
        END IF;
        IF NEW.meeting_minutes IS NULL THEN
          IF NEW.status = 'cancelled' OR NOT NEW.registration_required THEN
            DELETE FROM person_commitments WHERE item_id = NEW.id AND kind = 'registration';
          ELSE
            UPDATE person_commitments SET during = NEW.during WHERE item_id = NEW.id AND kind = 'registration';
            INSERT INTO person_commitments (user_id, during, kind, item_id, registration_id)
            SELECT r.user_id, NEW.during, 'registration', NEW.id, r.id FROM registrations r
             WHERE r.item_id = NEW.id AND r.status = 'confirmed'
            ON CONFLICT (registration_id) DO NOTHING;
          END IF;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER programme_items_commitments
        AFTER UPDATE OF starts_at, ends_at, status, registration_required, meeting_minutes ON programme_items
        FOR EACH ROW EXECUTE FUNCTION programme_items_follow_commitments()`);

    // Promotion skips a waitlisted person whose seat would clash with one of their meetings (they keep their place).
    await q.query(`
      CREATE OR REPLACE FUNCTION settle_waitlist(p_item uuid) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        free integer;
        promoted integer;
      BEGIN
        SELECT capacity - confirmed_count INTO free FROM programme_items
         WHERE id = p_item AND status <> 'cancelled' AND waitlist_count > 0;
        IF free IS NULL OR free <= 0 THEN RETURN 0; END IF;
        WITH next AS (
          SELECT r.id FROM registrations r
           WHERE r.item_id = p_item AND r.status = 'waitlisted'
             AND NOT EXISTS (SELECT 1 FROM person_commitments c, programme_items i
                              WHERE i.id = p_item AND i.registration_required AND i.meeting_minutes IS NULL
                                AND c.user_id = r.user_id AND c.kind = 'meeting' AND c.during && i.during)
           ORDER BY r.waitlist_seq LIMIT free FOR UPDATE
        ), done AS (
          UPDATE registrations r SET status = 'confirmed', waitlist_seq = NULL, promoted_at = now(), updated_at = now()
            FROM next WHERE r.id = next.id
          RETURNING r.id, r.user_id
        ), events AS (
          INSERT INTO outbox (kind, item_id, registration_id, user_id)
          SELECT 'waitlist_promoted', p_item, done.id, done.user_id FROM done
        )
        SELECT count(*) INTO promoted FROM done;
        IF promoted > 0 THEN
          UPDATE programme_items
             SET confirmed_count = confirmed_count + promoted, waitlist_count = waitlist_count - promoted
           WHERE id = p_item;
        END IF;
        RETURN promoted;
      END $$`);

    // What the meetings lib reads of other libs' tables: sessions with their place and owner, people's names.
    await q.query(`
      CREATE VIEW b2b_sessions AS
      SELECT i.id, i.programme_id, i.title, i.status, i.starts_at, i.ends_at, i.version, i.meeting_minutes,
             i.requests_per_participant, i.requests_close_at, sp.tables, sp.name AS space_name,
             p.organization_id, p.status AS programme_status, p.reminder_offsets_minutes, v.timezone
        FROM programme_items i JOIN programmes p ON p.id = i.programme_id JOIN spaces sp ON sp.id = i.space_id
        JOIN pavilions pv ON pv.id = sp.pavilion_id JOIN venues v ON v.id = pv.venue_id
       WHERE i.meeting_minutes IS NOT NULL`);
    await q.query(`CREATE VIEW b2b_people AS SELECT id, display_name, email FROM users`);
    await q.query(`CREATE VIEW b2b_item_titles AS SELECT id, title FROM programme_items`);

    // Seats confirmed before this migration commit their time too.
    await q.query(`
      INSERT INTO person_commitments (user_id, during, kind, item_id, registration_id)
      SELECT r.user_id, i.during, 'registration', i.id, r.id
        FROM registrations r JOIN programme_items i ON i.id = r.item_id
       WHERE r.status = 'confirmed' AND i.status <> 'cancelled' AND i.registration_required`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION settle_waitlist(p_item uuid) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        free integer;
        promoted integer;
      BEGIN
        SELECT capacity - confirmed_count INTO free FROM programme_items
         WHERE id = p_item AND status <> 'cancelled' AND waitlist_count > 0;
        IF free IS NULL OR free <= 0 THEN RETURN 0; END IF;
        WITH next AS (
          SELECT id FROM registrations
           WHERE item_id = p_item AND status = 'waitlisted'
           ORDER BY waitlist_seq LIMIT free FOR UPDATE
        ), done AS (
          UPDATE registrations r SET status = 'confirmed', waitlist_seq = NULL, promoted_at = now(), updated_at = now()
            FROM next WHERE r.id = next.id
          RETURNING r.id, r.user_id
        ), events AS (
          INSERT INTO outbox (kind, item_id, registration_id, user_id)
          SELECT 'waitlist_promoted', p_item, done.id, done.user_id FROM done
        )
        SELECT count(*) INTO promoted FROM done;
        IF promoted > 0 THEN
          UPDATE programme_items
             SET confirmed_count = confirmed_count + promoted, waitlist_count = waitlist_count - promoted
           WHERE id = p_item;
        END IF;
        RETURN promoted;
      END $$`);
    await q.query(`DROP VIEW b2b_item_titles`);
    await q.query(`DROP VIEW b2b_people`);
    await q.query(`DROP VIEW b2b_sessions`);
    await q.query(`DROP TRIGGER programme_items_commitments ON programme_items`);
    await q.query(`DROP FUNCTION programme_items_follow_commitments()`);
    await q.query(`DROP TRIGGER b2b_meetings_place ON b2b_meetings`);
    await q.query(`DROP FUNCTION b2b_meetings_check_place()`);
    await q.query(`DROP TRIGGER b2b_meetings_commitments ON b2b_meetings`);
    await q.query(`DROP FUNCTION b2b_meetings_commit_time()`);
    await q.query(`DROP TRIGGER registrations_commitments ON registrations`);
    await q.query(`DROP FUNCTION registrations_commit_time()`);
    await q.query(`DROP TABLE person_commitments`);
    await q.query(`DROP TABLE b2b_meetings`);
    await q.query(`DROP TABLE b2b_schedule_runs`);
    await q.query(`DROP TABLE b2b_requests`);
    await q.query(`DROP TABLE b2b_participants`);
    await q.query(`
      ALTER TABLE programme_items DROP CONSTRAINT programme_items_sessions_are_b2b,
        DROP COLUMN requests_close_at, DROP COLUMN requests_per_participant, DROP COLUMN meeting_minutes`);
    await q.query(`ALTER TABLE spaces DROP CONSTRAINT spaces_tables_in_b2b_zones, DROP COLUMN tables`);
  }
}
