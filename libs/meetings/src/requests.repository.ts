import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { appendOutbox, returnedRows } from '@pavilion/database';
import { MeetingRequest, Participant, REQUEST, RequestStatus } from './meeting-rows';

/** Meeting requests between participants: send, answer, withdraw, list. Each change tells the other party (outbox). */
@Injectable()
export class RequestsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

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
}
