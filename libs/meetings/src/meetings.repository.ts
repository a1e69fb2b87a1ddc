import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { appendOutbox, returnedRows } from '@pavilion/database';
import {
  CommitmentInTheWay,
  lockPeople,
  Meeting,
  MEETING,
  MeetingRequest,
  Participant,
  PARTICIPANT,
  parseParticipant,
  Session,
} from './meeting-rows';

/**
 * Final meetings: people's commitments, lists, direct booking, cancellation, check-in and counts. The exclusion
 * constraints and triggers of the B2B migration have the last word.
 */
@Injectable()
export class MeetingsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

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
      /** The session's place as the feeds name it after the space: pavilion, venue, city. */
      placeName: string;
      reminderOffsetsMinutes: number[];
      updatedAt: Date;
    })[]
  > {
    return this.db.query(
      `SELECT m.*, s.timezone, s.title AS "sessionTitle", s.space_name AS "spaceName",
              concat_ws(', ', f.pavilion_name, f.venue_name, f.venue_city) AS "placeName",
              s.reminder_offsets_minutes AS "reminderOffsetsMinutes",
              (SELECT updated_at FROM b2b_meetings WHERE id = m.id) AS "updatedAt"
         FROM (${MEETING} WHERE user_a = $1 OR user_b = $1) m JOIN b2b_sessions s ON s.id = m."itemId"
         JOIN item_facts f ON f.id = m."itemId"
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
   * the two are not both free or no table is left. The database stays the last guard: `b2b_meetings_place`
   * (`b2b_meetings_check_place`: a slot and table of the live session, two of its participants who share a
   * language and are free then), `b2b_meetings_table_place_once`, and through `b2b_meetings_commitments`
   * (`b2b_meetings_commit_time`) the exclusion constraints `person_commitments_meeting_vs_meeting` and
   * `person_commitments_seat_vs_meeting`.
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

  /**
   * Cancels a scheduled meeting and tells `notify`; null when it was not scheduled. Both parties' time is
   * freed by `b2b_meetings_commitments` (`b2b_meetings_commit_time`).
   */
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
}
