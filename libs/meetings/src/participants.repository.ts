import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { appendOutbox, returnedRows } from '@pavilion/database';
import {
  lockPeople,
  Meeting,
  MEETING,
  Participant,
  PARTICIPANT,
  ParticipantFilter,
  parseParticipant,
  Session,
  SESSION,
  toRanges,
} from './meeting-rows';

/** Sessions and their participants: joining, the catalogue, profile edits, leaving. */
@Injectable()
export class ParticipantsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async session(itemId: string): Promise<Session | null> {
    const [row] = await this.db.query(`${SESSION} WHERE id = $1`, [itemId]);
    return row ?? null;
  }

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

  /**
   * Erasure of a person (DELETE /api/me): every session of theirs is left as `leave` does (scheduled meetings
   * cancelled, their table places free, each counterpart told; live requests withdrawn), and every profile of
   * theirs loses what they wrote (company, position, sector, offers, seeks, about, unavailability) as do their
   * requests' messages. The rows stay, anonymised, for the session's counts. Returns the meetings cancelled.
   */
  eraseOf(userId: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      await lockPeople(tx, [userId]);
      const mine = returnedRows<{ id: string }>(
        await tx.query(
          `UPDATE b2b_participants
            SET status = 'left', left_at = coalesce(left_at, now()), company = 'Erased account', position = NULL,
                sector = 'erased', offers = '{}', seeks = '{}', about = NULL, unavailable = '{}', updated_at = now()
          WHERE user_id = $1
        RETURNING id`,
          [userId],
        ),
      );
      if (mine.length === 0) return 0;
      const ids = mine.map((p) => p.id);
      const cancelled = returnedRows<Meeting>(
        await tx.query(
          `UPDATE b2b_meetings SET status = 'cancelled', cancel_reason = 'participant_left', cancelled_by = $2,
                  cancelled_at = now(), updated_at = now()
            WHERE status = 'scheduled' AND (participant_a = ANY($1::uuid[]) OR participant_b = ANY($1::uuid[]))
          RETURNING id, item_id AS "itemId", user_a AS "userA", user_b AS "userB"`,
          [ids, userId],
        ),
      );
      await tx.query(
        `UPDATE b2b_requests
            SET status = CASE WHEN status IN ('pending', 'accepted') THEN 'withdrawn' ELSE status END,
                answered_at = CASE WHEN status IN ('pending', 'accepted') THEN coalesce(answered_at, now()) ELSE answered_at END,
                message = CASE WHEN from_participant_id = ANY($1::uuid[]) THEN NULL ELSE message END
          WHERE from_participant_id = ANY($1::uuid[]) OR to_participant_id = ANY($1::uuid[])`,
        [ids],
      );
      await appendOutbox(
        tx,
        cancelled.map((m) => ({
          kind: 'meeting_cancelled',
          itemId: m.itemId,
          userId: m.userA === userId ? m.userB : m.userA,
          payload: { meetingId: m.id, reason: 'participant_left' },
        })),
      );
      return cancelled.length;
    });
  }
}

/** Carries what stood in the way out of a transaction that must not commit. */
class RollbackWith extends Error {
  constructor(readonly meetings: Meeting[]) {
    super('rolled back');
  }
}
