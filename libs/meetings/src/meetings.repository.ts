import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { appendOutbox, returnedRows } from '@pavilion/database';
import { Interval } from '@pavilion/scheduling';

// Row types are checked here, at the edge; everything beyond speaks camelCase.

export interface Session {
  id: string;
  programmeId: string;
  title: string;
  status: 'scheduled' | 'cancelled';
  startsAt: Date;
  endsAt: Date;
  meetingMinutes: number;
  requestsPerParticipant: number;
  requestsCloseAt: Date | null;
  tables: number;
  spaceName: string;
  organizationId: string;
  programmeStatus: 'draft' | 'published';
  timezone: string;
}

export interface Participant {
  id: string;
  itemId: string;
  userId: string;
  displayName: string;
  company: string;
  position: string | null;
  sector: string;
  offers: string[];
  seeks: string[];
  languages: string[];
  about: string | null;
  unavailable: Interval[];
  status: 'active' | 'left';
  createdAt: Date;
}

export type RequestStatus = 'pending' | 'accepted' | 'declined' | 'withdrawn';

export interface MeetingRequest {
  id: string;
  itemId: string;
  fromParticipantId: string;
  toParticipantId: string;
  fromUserId: string;
  toUserId: string;
  message: string | null;
  status: RequestStatus;
  createdAt: Date;
  answeredAt: Date | null;
  hasMeeting: boolean;
}

export interface Meeting {
  id: string;
  itemId: string;
  requestId: string;
  participantA: string;
  participantB: string;
  userA: string;
  userB: string;
  slotIndex: number;
  table: number;
  startsAt: Date;
  endsAt: Date;
  status: 'scheduled' | 'cancelled';
  attendance: 'held' | 'no_show' | null;
  version: number;
}

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface ScheduleRun {
  id: string;
  itemId: string;
  status: RunStatus;
  progress: number;
  timeLimitSeconds: number;
  result: StoredRunResult | null;
  error: string | null;
  heartbeatAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  publishedAt: Date | null;
}

export interface StoredRunResult {
  meetings: { requestId: string; slot: number; table: number }[];
  unscheduled: { requestId: string; reasons: { code: string; detail: string }[] }[];
  stats: { accepted: number; scheduled: number; upperBound: number; participantsWithNone: number };
}

/** A committed range of a person that stands in the way of a meeting. */
export interface CommitmentInTheWay {
  userId: string;
  kind: 'registration' | 'meeting';
  itemId: string;
  title: string;
  meetingId: string | null;
  startsAt: Date;
  endsAt: Date;
}

export interface ParticipantFilter {
  q?: string;
  sector?: string;
  offers?: string;
  seeks?: string;
  language?: string;
  after?: { company: string; id: string };
  limit: number;
}

const SESSION = `
  SELECT id, programme_id AS "programmeId", title, status, starts_at AS "startsAt", ends_at AS "endsAt",
         meeting_minutes AS "meetingMinutes", requests_per_participant AS "requestsPerParticipant",
         requests_close_at AS "requestsCloseAt", coalesce(tables, 0) AS tables, space_name AS "spaceName",
         organization_id AS "organizationId", programme_status AS "programmeStatus", timezone
    FROM b2b_sessions`;

const PARTICIPANT = `
  SELECT bp.id, bp.item_id AS "itemId", bp.user_id AS "userId", pe.display_name AS "displayName", bp.company,
         bp.position, bp.sector, bp.offers, bp.seeks, bp.languages, bp.about, bp.status, bp.created_at AS "createdAt",
         coalesce((SELECT json_agg(json_build_object('start', (extract(epoch FROM lower(r)) * 1000)::bigint,
                                                      'end', (extract(epoch FROM upper(r)) * 1000)::bigint))
                     FROM unnest(bp.unavailable) r), '[]') AS unavailable
    FROM b2b_participants bp JOIN b2b_people pe ON pe.id = bp.user_id`;

const REQUEST = `
  SELECT q.id, q.item_id AS "itemId", q.from_participant_id AS "fromParticipantId",
         q.to_participant_id AS "toParticipantId", f.user_id AS "fromUserId", t.user_id AS "toUserId", q.message,
         q.status, q.created_at AS "createdAt", q.answered_at AS "answeredAt",
         EXISTS (SELECT 1 FROM b2b_meetings m WHERE m.request_id = q.id AND m.status = 'scheduled') AS "hasMeeting"
    FROM b2b_requests q JOIN b2b_participants f ON f.id = q.from_participant_id
    JOIN b2b_participants t ON t.id = q.to_participant_id`;

const MEETING = `
  SELECT id, item_id AS "itemId", request_id AS "requestId", participant_a AS "participantA",
         participant_b AS "participantB", user_a AS "userA", user_b AS "userB", slot_index AS "slotIndex",
         table_number AS "table", starts_at AS "startsAt", ends_at AS "endsAt", status, attendance, version
    FROM b2b_meetings`;

const RUN = `
  SELECT id, item_id AS "itemId", status, progress, time_limit_seconds AS "timeLimitSeconds", result, error,
         heartbeat_at AS "heartbeatAt", started_at AS "startedAt", finished_at AS "finishedAt",
         published_at AS "publishedAt"
    FROM b2b_schedule_runs`;

const toRanges = (ranges: Interval[]) =>
  `{${ranges.map((r) => `[${new Date(r.start).toISOString()},${new Date(r.end).toISOString()})`).join(',')}}`;

function parseParticipant(row: Participant & { unavailable: { start: string; end: string }[] }): Participant {
  return {
    ...row,
    unavailable: row.unavailable.map((r) => ({ start: Number(r.start), end: Number(r.end) })),
  };
}

/** Per-person transaction locks, the same the registrations lib takes, so seat claims and meetings of one person serialize. */
async function lockPeople(tx: EntityManager, userIds: string[]): Promise<void> {
  await tx.query(
    `SELECT pg_advisory_xact_lock(hashtextextended(u::text, 7)) FROM (SELECT unnest($1::uuid[]) AS u ORDER BY 1) s`,
    [[...new Set(userIds)].sort()],
  );
}

/** The meetings lib's only door to PostgreSQL. The exclusion constraints and triggers of the B2B migration have the last word. */
@Injectable()
export class MeetingsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async session(itemId: string): Promise<Session | null> {
    const [row] = await this.db.query(`${SESSION} WHERE id = $1`, [itemId]);
    return row ?? null;
  }

  // Participants

  async insertParticipant(
    p: Omit<Participant, 'id' | 'status' | 'createdAt' | 'displayName'>,
  ): Promise<Participant> {
    const [row]: { id: string }[] = await this.db.query(
      `INSERT INTO b2b_participants (item_id, user_id, company, position, sector, offers, seeks, languages, about, unavailable)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::tstzmultirange) RETURNING id`,
      [
        p.itemId,
        p.userId,
        p.company,
        p.position,
        p.sector,
        p.offers,
        p.seeks,
        p.languages,
        p.about,
        toRanges(p.unavailable),
      ],
    );
    return (await this.participant(row.id)) as Participant;
  }

  async participant(id: string): Promise<Participant | null> {
    const [row] = await this.db.query(`${PARTICIPANT} WHERE bp.id = $1`, [id]);
    return row ? parseParticipant(row) : null;
  }

  async participantOf(itemId: string, userId: string): Promise<Participant | null> {
    const [row] = await this.db.query(
      `${PARTICIPANT} WHERE bp.item_id = $1 AND bp.user_id = $2 AND bp.status = 'active'`,
      [itemId, userId],
    );
    return row ? parseParticipant(row) : null;
  }

  async activeParticipants(itemId: string): Promise<Participant[]> {
    const rows = await this.db.query(
      `${PARTICIPANT} WHERE bp.item_id = $1 AND bp.status = 'active' ORDER BY bp.created_at, bp.id`,
      [itemId],
    );
    return rows.map(parseParticipant);
  }

  async listParticipants(itemId: string, f: ParticipantFilter): Promise<Participant[]> {
    const like = (t?: string) => (t ? `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null);
    const rows = await this.db.query(
      `${PARTICIPANT}
        WHERE bp.item_id = $1 AND bp.status = 'active'
          AND ($2::text IS NULL OR bp.company ILIKE $2 OR bp.about ILIKE $2 OR bp.position ILIKE $2 OR pe.display_name ILIKE $2)
          AND ($3::text IS NULL OR lower(bp.sector) = lower($3))
          AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM unnest(bp.offers) o WHERE o ILIKE $4))
          AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM unnest(bp.seeks) s WHERE s ILIKE $5))
          AND ($6::text IS NULL OR $6 = ANY(bp.languages))
          AND ($7::text IS NULL OR (bp.company, bp.id) > ($7, $8::uuid))
        ORDER BY bp.company, bp.id LIMIT $9`,
      [
        itemId,
        like(f.q),
        f.sector ?? null,
        like(f.offers),
        like(f.seeks),
        f.language ?? null,
        f.after?.company ?? null,
        f.after?.id ?? null,
        f.limit,
      ],
    );
    return rows.map(parseParticipant);
  }

  /**
   * Edits a profile. New unavailable ranges must not cover a scheduled meeting: those meetings are returned
   * and nothing is written.
   */
  updateParticipant(
    id: string,
    change: Partial<
      Pick<
        Participant,
        'company' | 'position' | 'sector' | 'offers' | 'seeks' | 'languages' | 'about' | 'unavailable'
      >
    >,
  ): Promise<{ clashes: Meeting[] }> {
    return this.db
      .transaction(async (tx) => {
        await tx.query(
          `UPDATE b2b_participants SET company = coalesce($2, company), position = CASE WHEN $3::boolean THEN $4 ELSE position END,
                sector = coalesce($5, sector), offers = coalesce($6, offers), seeks = coalesce($7, seeks),
                languages = coalesce($8, languages), about = CASE WHEN $9::boolean THEN $10 ELSE about END,
                unavailable = coalesce($11::tstzmultirange, unavailable), updated_at = now()
          WHERE id = $1`,
          [
            id,
            change.company ?? null,
            change.position !== undefined,
            change.position ?? null,
            change.sector ?? null,
            change.offers ?? null,
            change.seeks ?? null,
            change.languages ?? null,
            change.about !== undefined,
            change.about ?? null,
            change.unavailable ? toRanges(change.unavailable) : null,
          ],
        );
        const clashes: Meeting[] = await tx.query(
          `${MEETING} m WHERE m.status = 'scheduled' AND $1 IN (m.participant_a, m.participant_b)
           AND (EXISTS (SELECT 1 FROM b2b_participants p WHERE p.id = $1 AND p.unavailable && m.during)
                OR NOT EXISTS (SELECT 1 FROM b2b_participants a, b2b_participants b
                                WHERE a.id = m.participant_a AND b.id = m.participant_b AND a.languages && b.languages))
         ORDER BY m.starts_at`,
          [id],
        );
        if (clashes.length > 0) throw new RollbackWith(clashes);
        return { clashes };
      })
      .catch((error: unknown) => {
        if (error instanceof RollbackWith) return { clashes: error.meetings };
        throw error;
      });
  }

  /** Leaves a session: live requests are withdrawn, scheduled meetings cancelled, each counterpart told. */
  leave(participant: Participant): Promise<Meeting[]> {
    return this.db.transaction(async (tx) => {
      await lockPeople(tx, [participant.userId]);
      await tx.query(
        `UPDATE b2b_participants SET status = 'left', left_at = now(), updated_at = now() WHERE id = $1`,
        [participant.id],
      );
      const cancelled = returnedRows<Meeting>(
        await tx.query(
          `UPDATE b2b_meetings SET status = 'cancelled', cancel_reason = 'participant_left', cancelled_by = $2,
                  cancelled_at = now(), updated_at = now()
            WHERE status = 'scheduled' AND $1 IN (participant_a, participant_b)
          RETURNING id, item_id AS "itemId", user_a AS "userA", user_b AS "userB"`,
          [participant.id, participant.userId],
        ),
      );
      await tx.query(
        `UPDATE b2b_requests SET status = 'withdrawn', answered_at = coalesce(answered_at, now())
          WHERE status IN ('pending', 'accepted') AND $1 IN (from_participant_id, to_participant_id)`,
        [participant.id],
      );
      await appendOutbox(
        tx,
        cancelled.map((m) => ({
          kind: 'meeting_cancelled',
          itemId: participant.itemId,
          userId: m.userA === participant.userId ? m.userB : m.userA,
          payload: { meetingId: m.id, reason: 'participant_left' },
        })),
      );
      return cancelled;
    });
  }

  // Requests

  /**
   * Sends a request: the sender's live requests are counted under a lock on the sender, so concurrent sends
   * cannot pass the limit; the partial unique index refuses a second live request between the same two.
   */
  createRequest(
    from: Participant,
    to: Participant,
    message: string | null,
    limit: number,
  ): Promise<{ request: MeetingRequest } | { overLimit: number }> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT id FROM b2b_participants WHERE id = $1 FOR UPDATE`, [from.id]);
      const [{ live }]: { live: number }[] = await tx.query(
        `SELECT count(*)::int AS live FROM b2b_requests WHERE from_participant_id = $1 AND status IN ('pending', 'accepted')`,
        [from.id],
      );
      if (live >= limit) return { overLimit: live };
      const [row]: { id: string }[] = await tx.query(
        `INSERT INTO b2b_requests (item_id, from_participant_id, to_participant_id, message) VALUES ($1, $2, $3, $4) RETURNING id`,
        [from.itemId, from.id, to.id, message],
      );
      await appendOutbox(tx, [
        { kind: 'meeting_request', itemId: from.itemId, userId: to.userId, payload: { requestId: row.id } },
      ]);
      const [request] = await tx.query(`${REQUEST} WHERE q.id = $1`, [row.id]);
      return { request };
    });
  }

  async request(id: string): Promise<MeetingRequest | null> {
    const [row] = await this.db.query(`${REQUEST} WHERE q.id = $1`, [id]);
    return row ?? null;
  }

  /** Moves a request from one of `from` to `to`; null when it was no longer in one of those states. */
  answerRequest(
    request: MeetingRequest,
    from: RequestStatus[],
    to: RequestStatus,
    notify: { userId: string } | null,
  ): Promise<MeetingRequest | null> {
    return this.db.transaction(async (tx) => {
      const changed = returnedRows<{ id: string }>(
        await tx.query(
          `UPDATE b2b_requests q SET status = $3, answered_at = now()
            WHERE q.id = $1 AND q.status = ANY($2::text[])
              AND NOT EXISTS (SELECT 1 FROM b2b_meetings m WHERE m.request_id = q.id AND m.status = 'scheduled')
          RETURNING q.id`,
          [request.id, from, to],
        ),
      );
      if (changed.length === 0) return null;
      if (notify)
        await appendOutbox(tx, [
          {
            kind: 'meeting_request_answered',
            itemId: request.itemId,
            userId: notify.userId,
            payload: { requestId: request.id, answer: to },
          },
        ]);
      const [row] = await tx.query(`${REQUEST} WHERE q.id = $1`, [request.id]);
      return row;
    });
  }

  requestsOfUser(userId: string): Promise<(MeetingRequest & { sessionTitle: string; timezone: string })[]> {
    return this.db.query(
      `SELECT r.*, s.title AS "sessionTitle", s.timezone FROM (${REQUEST}
         WHERE f.user_id = $1 OR t.user_id = $1) r JOIN b2b_sessions s ON s.id = r."itemId"
        ORDER BY r."createdAt" DESC, r.id`,
      [userId],
    );
  }

  async acceptedWithoutMeeting(itemId: string): Promise<MeetingRequest[]> {
    return this.db.query(
      `${REQUEST} WHERE q.item_id = $1 AND q.status = 'accepted' AND f.status = 'active' AND t.status = 'active'
         AND NOT EXISTS (SELECT 1 FROM b2b_meetings m WHERE m.request_id = q.id AND m.status = 'scheduled')
       ORDER BY q.created_at, q.id`,
      [itemId],
    );
  }

  // Commitments

  /** Each person's committed ranges inside [from, to) outside this session's meetings: seats and other sessions' meetings. */
  async commitmentsOutside(
    itemId: string,
    userIds: string[],
    from: Date,
    to: Date,
  ): Promise<CommitmentInTheWay[]> {
    return this.db.query(
      `SELECT c.user_id AS "userId", c.kind, c.item_id AS "itemId", i.title, c.meeting_id AS "meetingId",
              lower(c.during) AS "startsAt", upper(c.during) AS "endsAt"
         FROM person_commitments c JOIN b2b_item_titles i ON i.id = c.item_id
        WHERE c.user_id = ANY($2::uuid[]) AND c.during && tstzrange($3, $4, '[)')
          AND NOT (c.kind = 'meeting' AND c.item_id = $1)
        ORDER BY lower(c.during)`,
      [itemId, userIds, from, to],
    );
  }

  // Meetings

  async meeting(id: string): Promise<Meeting | null> {
    const [row] = await this.db.query(`${MEETING} WHERE id = $1`, [id]);
    return row ?? null;
  }

  scheduledMeetings(itemId: string): Promise<Meeting[]> {
    return this.db.query(
      `${MEETING} WHERE item_id = $1 AND status = 'scheduled' ORDER BY starts_at, table_number`,
      [itemId],
    );
  }

  meetingsOfUser(userId: string): Promise<
    (Meeting & {
      timezone: string;
      sessionTitle: string;
      spaceName: string;
      reminderOffsetsMinutes: number[];
      updatedAt: Date;
    })[]
  > {
    return this.db.query(
      `SELECT m.*, s.timezone, s.title AS "sessionTitle", s.space_name AS "spaceName",
              s.reminder_offsets_minutes AS "reminderOffsetsMinutes",
              (SELECT updated_at FROM b2b_meetings WHERE id = m.id) AS "updatedAt" FROM (${MEETING} WHERE user_a = $1 OR user_b = $1) m JOIN b2b_sessions s ON s.id = m."itemId"
        ORDER BY m."startsAt", m.id`,
      [userId],
    );
  }

  /** Everything a meeting list, CSV or notice shows of a meeting's two parties. */
  async parties(meetingIds: string[]): Promise<Map<string, { a: Participant; b: Participant }>> {
    const rows: { id: string; a: string; b: string }[] = await this.db.query(
      `SELECT id, participant_a AS a, participant_b AS b FROM b2b_meetings WHERE id = ANY($1::uuid[])`,
      [meetingIds],
    );
    const ids = [...new Set(rows.flatMap((r) => [r.a, r.b]))];
    const people = new Map<string, Participant>(
      (await this.db.query(`${PARTICIPANT} WHERE bp.id = ANY($1::uuid[])`, [ids])).map((p: never) => {
        const parsed = parseParticipant(p);
        return [parsed.id, parsed];
      }),
    );
    return new Map(
      rows.map((r) => [r.id, { a: people.get(r.a) as Participant, b: people.get(r.b) as Participant }]),
    );
  }

  /**
   * Books one table place for a request at a slot: the slot's bookings serialize on a lock of (session, slot)
   * and the two people's locks; the lowest free table is taken. Returns what stands in the way instead when
   * the two are not both free or no table is left. The exclusion constraints stay the last guard.
   */
  book(
    session: Session,
    request: MeetingRequest,
    slotIndex: number,
  ): Promise<{ meeting: Meeting } | { busy: CommitmentInTheWay[] } | { noTable: true }> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1::text || '/' || $2::text, 13))`, [
        session.id,
        slotIndex,
      ]);
      await lockPeople(tx, [request.fromUserId, request.toUserId]);
      const startsAt = new Date(session.startsAt.getTime() + slotIndex * session.meetingMinutes * 60_000);
      const endsAt = new Date(startsAt.getTime() + session.meetingMinutes * 60_000);
      const busy: CommitmentInTheWay[] = await tx.query(
        `SELECT c.user_id AS "userId", c.kind, c.item_id AS "itemId", i.title, c.meeting_id AS "meetingId",
                lower(c.during) AS "startsAt", upper(c.during) AS "endsAt"
           FROM person_commitments c JOIN b2b_item_titles i ON i.id = c.item_id
          WHERE c.user_id = ANY($1::uuid[]) AND c.during && tstzrange($2, $3, '[)')
          ORDER BY lower(c.during)`,
        [[request.fromUserId, request.toUserId], startsAt, endsAt],
      );
      if (busy.length > 0) return { busy };
      const [free]: { table: number | null }[] = await tx.query(
        `SELECT min(t)::int AS table FROM generate_series(1, $2::int) t
          WHERE NOT EXISTS (SELECT 1 FROM b2b_meetings m WHERE m.item_id = $1 AND m.status = 'scheduled'
                             AND m.table_number = t AND m.during && tstzrange($3, $4, '[)'))`,
        [session.id, session.tables, startsAt, endsAt],
      );
      if (free.table === null) return { noTable: true as const };
      const [row]: { id: string }[] = await tx.query(
        `INSERT INTO b2b_meetings (item_id, request_id, participant_a, participant_b, user_a, user_b, slot_index, table_number, starts_at, ends_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
          session.id,
          request.id,
          request.fromParticipantId,
          request.toParticipantId,
          request.fromUserId,
          request.toUserId,
          slotIndex,
          free.table,
          startsAt,
          endsAt,
        ],
      );
      await appendOutbox(tx, [
        { kind: 'meeting_scheduled', itemId: session.id, payload: { meetingId: row.id } },
      ]);
      const [meeting] = await tx.query(`${MEETING} WHERE id = $1`, [row.id]);
      return { meeting };
    });
  }

  /** Cancels a scheduled meeting and tells `notify`; null when it was not scheduled. */
  cancelMeeting(meeting: Meeting, byUserId: string, notify: string[]): Promise<Meeting | null> {
    return this.db.transaction(async (tx) => {
      const [row] = returnedRows<{ id: string }>(
        await tx.query(
          `UPDATE b2b_meetings SET status = 'cancelled', cancel_reason = 'cancelled', cancelled_by = $2,
                  cancelled_at = now(), updated_at = now()
            WHERE id = $1 AND status = 'scheduled' RETURNING id`,
          [meeting.id, byUserId],
        ),
      );
      if (!row) return null;
      await appendOutbox(
        tx,
        notify.map((userId) => ({
          kind: 'meeting_cancelled',
          itemId: meeting.itemId,
          userId,
          payload: { meetingId: meeting.id, reason: 'cancelled' },
        })),
      );
      const [after] = await tx.query(`${MEETING} WHERE id = $1`, [meeting.id]);
      return after;
    });
  }

  async setAttendance(meetingId: string, attendance: 'held' | 'no_show'): Promise<Meeting | null> {
    const [row] = returnedRows<{ id: string }>(
      await this.db.query(
        `UPDATE b2b_meetings SET attendance = $2, updated_at = now() WHERE id = $1 AND status = 'scheduled' RETURNING id`,
        [meetingId, attendance],
      ),
    );
    return row ? this.meeting(row.id) : null;
  }

  async counts(
    itemId: string,
  ): Promise<{ participants: number; requested: number; accepted: number; scheduled: number; held: number }> {
    const [row] = await this.db.query(
      `SELECT (SELECT count(*)::int FROM b2b_participants WHERE item_id = $1 AND status = 'active') AS participants,
              (SELECT count(*)::int FROM b2b_requests WHERE item_id = $1 AND status <> 'withdrawn') AS requested,
              (SELECT count(*)::int FROM b2b_requests WHERE item_id = $1 AND status = 'accepted') AS accepted,
              (SELECT count(*)::int FROM b2b_meetings WHERE item_id = $1 AND status = 'scheduled') AS scheduled,
              (SELECT count(*)::int FROM b2b_meetings WHERE item_id = $1 AND status = 'scheduled' AND attendance = 'held') AS held`,
      [itemId],
    );
    return row;
  }

  // Schedule runs

  /** A new queued run, unless one of this session is queued or running (null). Runs whose worker died are failed first. */
  async createRun(
    itemId: string,
    timeLimitSeconds: number,
    staleAfterMs: number,
  ): Promise<ScheduleRun | null> {
    await this.failStaleRuns(staleAfterMs, itemId);
    const rows: { id: string }[] = await this.db.query(
      `INSERT INTO b2b_schedule_runs (item_id, time_limit_seconds) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id`,
      [itemId, timeLimitSeconds],
    );
    return rows.length ? this.run(rows[0].id) : null;
  }

  async run(id: string): Promise<ScheduleRun | null> {
    const [row] = await this.db.query(`${RUN} WHERE id = $1`, [id]);
    return row ?? null;
  }

  /**
   * Runs marked running whose heartbeat stopped (the worker died and no retry took the job) become failed,
   * so no run stays running forever.
   */
  async failStaleRuns(staleAfterMs: number, itemId?: string): Promise<void> {
    await this.db.query(
      `UPDATE b2b_schedule_runs SET status = 'failed', error = 'the worker running it stopped', finished_at = now()
        WHERE status = 'running' AND heartbeat_at < now() - $1 * interval '1 millisecond'
          AND ($2::uuid IS NULL OR item_id = $2)`,
      [staleAfterMs, itemId ?? null],
    );
  }

  /** queued (or running again after a stalled worker) → running; false when the run is no longer wanted. */
  async startRun(id: string): Promise<boolean> {
    const rows = returnedRows(
      await this.db.query(
        `UPDATE b2b_schedule_runs SET status = 'running', started_at = coalesce(started_at, now()), heartbeat_at = now(), progress = 0
          WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
        [id],
      ),
    );
    return rows.length > 0;
  }

  /** Records progress and a heartbeat; returns the run's status (the worker stops when it reads `cancelled`). */
  async heartbeat(id: string, progress: number): Promise<RunStatus | null> {
    const [row] = returnedRows<{ status: RunStatus }>(
      await this.db.query(
        `UPDATE b2b_schedule_runs SET progress = CASE WHEN status = 'running' THEN $2 ELSE progress END, heartbeat_at = now()
          WHERE id = $1 RETURNING status`,
        [id, progress],
      ),
    );
    return row?.status ?? null;
  }

  async finishRun(id: string, outcome: { result: StoredRunResult } | { error: string }): Promise<void> {
    await this.db.query(
      `UPDATE b2b_schedule_runs SET status = CASE WHEN $2::jsonb IS NULL THEN 'failed' ELSE 'done' END,
              result = $2::jsonb, error = $3, progress = CASE WHEN $2::jsonb IS NULL THEN progress ELSE 1 END, finished_at = now()
        WHERE id = $1 AND status = 'running'`,
      [
        id,
        'result' in outcome ? JSON.stringify(outcome.result) : null,
        'error' in outcome ? outcome.error : null,
      ],
    );
  }

  async cancelRun(id: string): Promise<boolean> {
    const rows = returnedRows(
      await this.db.query(
        `UPDATE b2b_schedule_runs SET status = 'cancelled', finished_at = now() WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
        [id],
      ),
    );
    return rows.length > 0;
  }

  /**
   * Makes a run's meetings final in one transaction: those whose request is still accepted, with both parties
   * still in the session and no meeting yet. The constraints re-check each (a clash with anything that changed
   * since the run refuses the whole publication). One outbox event per meeting tells both parties.
   */
  publishRun(
    run: ScheduleRun,
    session: Session,
  ): Promise<{ published: number } | { alreadyPublished: true }> {
    return this.db.transaction(async (tx) => {
      const [locked]: { published_at: Date | null }[] = await tx.query(
        `SELECT published_at FROM b2b_schedule_runs WHERE id = $1 FOR UPDATE`,
        [run.id],
      );
      if (locked.published_at) return { alreadyPublished: true as const };
      const meetings = run.result?.meetings ?? [];
      const inserted: { id: string }[] = await tx.query(
        `INSERT INTO b2b_meetings (item_id, request_id, run_id, participant_a, participant_b, user_a, user_b, slot_index,
                                   table_number, starts_at, ends_at)
         SELECT $1, q.id, $2, q.from_participant_id, q.to_participant_id, f.user_id, t.user_id, m.slot, m.table,
                $3::timestamptz + m.slot * $4 * interval '1 minute', $3::timestamptz + (m.slot + 1) * $4 * interval '1 minute'
           FROM jsonb_to_recordset($5::jsonb) AS m("requestId" uuid, slot int, "table" int)
           JOIN b2b_requests q ON q.id = m."requestId" AND q.status = 'accepted'
           JOIN b2b_participants f ON f.id = q.from_participant_id AND f.status = 'active'
           JOIN b2b_participants t ON t.id = q.to_participant_id AND t.status = 'active'
          WHERE NOT EXISTS (SELECT 1 FROM b2b_meetings x WHERE x.request_id = q.id AND x.status = 'scheduled')
         RETURNING id`,
        [session.id, run.id, session.startsAt, session.meetingMinutes, JSON.stringify(meetings)],
      );
      await tx.query(
        `INSERT INTO outbox (kind, item_id, payload)
         SELECT 'meeting_scheduled', $1, jsonb_build_object('meetingId', id) FROM unnest($2::uuid[]) AS id`,
        [session.id, inserted.map((r) => r.id)],
      );
      await tx.query(`UPDATE b2b_schedule_runs SET published_at = now() WHERE id = $1`, [run.id]);
      return { published: inserted.length };
    });
  }
}

/** Carries what stood in the way out of a transaction that must not commit. */
class RollbackWith extends Error {
  constructor(readonly meetings: Meeting[]) {
    super('rolled back');
  }
}
