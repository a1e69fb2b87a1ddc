import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { appendOutbox, OutboxEvent, returnedRows } from '@pavilion/database';
import { ClaimableItem, newCheckInCode, planClaims, registrationRefusal } from './registration-rules';
import { RegistrationStatus } from './registration-rules';

/** An item (or a scheduled B2B meeting) the person is committed to at the time of the one they claim. */
export interface Overlap {
  /** Set when the overlap is one of the person's scheduled B2B meetings (itemId is then its session). */
  meetingId?: string | null;
  itemId: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  timezone: string;
}

/** A row of the claim batch's one read of where its attendees already stand. */
interface StandingRow extends Omit<Overlap, 'itemId' | 'title' | 'startsAt' | 'endsAt' | 'timezone'> {
  kind: 'live' | 'overlap' | 'meeting';
  userId: string;
  itemId: string | null;
  title: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  timezone: string | null;
}

/** An item's seat counters, camelCase at the edge. */
interface SeatCounts {
  capacity: number;
  confirmedCount: number;
  waitlistCount: number;
  /** The last waitlist sequence number given (bigint as text). */
  waitlistSeq: string;
}
const SEAT_COUNTS = `i.capacity, i.confirmed_count AS "confirmedCount", i.waitlist_count AS "waitlistCount",
  i.waitlist_seq AS "waitlistSeq"`;

export type ClaimResult =
  | {
      kind: 'registered';
      id: string;
      status: 'confirmed' | 'waitlisted';
      waitlistPosition?: number;
      checkInCode: string;
    }
  | { kind: 'refused'; refusal: NonNullable<ReturnType<typeof registrationRefusal>>; item: ClaimableItem }
  | { kind: 'missing' }
  | { kind: 'duplicate' }
  | { kind: 'overlap'; overlaps: Overlap[] };

/**
 * The seats' door to PostgreSQL: the claim batch (group commit) and the attendee's cancellation, each one
 * transaction under the item's row lock, with the waitlist settled by the database (`settle_waitlist`).
 */
@Injectable()
export class SeatClaimsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Claims seats for several attendees of one item in one transaction, in the order given: the item row is
   * locked once, the waitlist is settled first (`settle_waitlist`), then each attendee is confirmed or
   * waitlisted. The CHECK on the item's counter stays the last guard against overbooking. On insert the
   * database stamps what each registrant was told (`registrations_told_on_insert`, `registrations_told_current`)
   * and commits a confirmed seat's time (`registrations_commitments`, `registrations_commit_time`, under
   * `person_commitments_seat_vs_meeting`).
   */
  claimBatch(itemId: string, userIds: string[], now: Date): Promise<ClaimResult[]> {
    // READ COMMITTED, every connection's default (dataSourceOptions): each statement after the locks sees what
    // committed before them. Naming it here would cost a round trip (TypeORM sends SET TRANSACTION apart).
    return this.db.transaction(async (tx) => {
      const item = await this.lockItem(tx, itemId);
      if (!item) return userIds.map(() => ({ kind: 'missing' as const }));
      const refusal = registrationRefusal(item, now);
      if (refusal) return userIds.map(() => ({ kind: 'refused' as const, refusal, item }));

      const distinct = [...new Set(userIds)].sort();
      // Per-attendee locks keep two concurrent claims of one person for overlapping items apart.
      await tx.query(
        `SELECT pg_advisory_xact_lock(hashtextextended(u::text, 7)) FROM (SELECT unnest($1::uuid[]) AS u ORDER BY 1) s`,
        [distinct],
      );
      // One statement after the locks: the attendees' live registrations of this item, their confirmed seats of
      // overlapping items, and their scheduled meetings (the meetings lib's commitments, kept by triggers) that
      // block a seat of a registration-required item; each kind in start order.
      const standing: StandingRow[] = await tx.query(
        `SELECT 'live' AS kind, user_id AS "userId", NULL::uuid AS "meetingId", NULL::uuid AS "itemId",
                NULL::text AS title, NULL::timestamptz AS "startsAt", NULL::timestamptz AS "endsAt",
                NULL::text AS timezone, 0 AS rank
           FROM registrations WHERE item_id = $1 AND user_id = ANY($2::uuid[]) AND status <> 'cancelled'
         UNION ALL
         SELECT 'overlap', r.user_id, NULL, i.id, i.title, i.starts_at, i.ends_at, i.timezone, 1
           FROM registrations r JOIN item_facts i ON i.id = r.item_id
          WHERE r.user_id = ANY($2::uuid[]) AND r.status = 'confirmed' AND i.id <> $1
            AND i.status <> 'cancelled' AND i.registration_required
            AND i.during && (SELECT during FROM item_seats WHERE id = $1)
         UNION ALL
         SELECT 'meeting', c.user_id, c.meeting_id, c.item_id, s.title, lower(c.during), upper(c.during), s.timezone, 2
           FROM meeting_commitments c JOIN item_facts s ON s.id = c.item_id
          WHERE c.user_id = ANY($2::uuid[])
            AND c.during && (SELECT during FROM item_seats WHERE id = $1 AND registration_required AND meeting_minutes IS NULL)
          ORDER BY rank, "startsAt"`,
        [itemId, distinct],
      );
      const live = standing.filter((r) => r.kind === 'live');
      const overlapRows = standing
        .filter((r) => r.kind !== 'live')
        .map(({ kind, userId, meetingId, itemId, title, startsAt, endsAt, timezone }) => ({
          userId,
          ...(kind === 'meeting' ? { meetingId } : {}),
          itemId: itemId as string,
          title: title as string,
          startsAt: startsAt as Date,
          endsAt: endsAt as Date,
          timezone: timezone as string,
        }));

      const taken = new Set(live.map((r) => r.userId));
      const overlaps = new Map<string, Overlap[]>();
      for (const { userId, ...row } of overlapRows)
        overlaps.set(userId, [...(overlaps.get(userId) ?? []), row]);

      const results: (ClaimResult | null)[] = userIds.map((userId) => {
        if (taken.has(userId)) return { kind: 'duplicate' };
        if (overlaps.has(userId)) return { kind: 'overlap', overlaps: overlaps.get(userId) as Overlap[] };
        taken.add(userId);
        return null;
      });
      const claimants = userIds.filter((_, i) => results[i] === null);
      if (claimants.length === 0) return results as ClaimResult[];

      // settle_waitlist promotes only when a seat is free and someone waits; the counters read under the lock
      // say whether it would, so the usual rush skips its two round trips.
      const counts =
        item.waitlistCount > 0 && item.capacity > item.confirmedCount ? await this.settle(tx, itemId) : item;
      const plans = planClaims(
        claimants.length,
        counts.capacity - counts.confirmedCount,
        counts.waitlistCount,
      );
      const baseSeq = BigInt(counts.waitlistSeq);
      let waitlisted = 0;
      const rows = claimants.map((userId, i) => ({
        userId,
        status: plans[i].status,
        seq: plans[i].status === 'waitlisted' ? String(baseSeq + BigInt(++waitlisted)) : null,
        code: newCheckInCode(),
      }));
      const confirmed = rows.length - waitlisted;
      // The rows and the item's counters in one statement; the counters' CHECK stays the last guard.
      const inserted: { id: string; user_id: string }[] = await tx.query(
        `WITH inserted AS (
           INSERT INTO registrations (item_id, user_id, status, waitlist_seq, check_in_code)
           SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::bigint[], $5::text[])
           RETURNING id, user_id
         ), counted AS (
           UPDATE item_seats
              SET confirmed_count = confirmed_count + $6, waitlist_count = waitlist_count + $7,
                  waitlist_seq = waitlist_seq + $7
            WHERE id = $1
         )
         SELECT id, user_id FROM inserted`,
        [
          itemId,
          rows.map((r) => r.userId),
          rows.map((r) => r.status),
          rows.map((r) => r.seq),
          rows.map((r) => r.code),
          confirmed,
          waitlisted,
        ],
      );
      const idOf = new Map(inserted.map((r) => [r.user_id, r.id]));
      await appendOutbox(
        tx,
        rows.map<OutboxEvent>((r) => ({
          kind: r.status === 'confirmed' ? 'registration_confirmed' : 'waitlisted',
          itemId,
          registrationId: idOf.get(r.userId),
          userId: r.userId,
        })),
      );

      let next = 0;
      return results.map((result) => {
        if (result) return result;
        const row = rows[next];
        const plan = plans[next++];
        return {
          kind: 'registered',
          id: idOf.get(row.userId) as string,
          status: plan.status,
          waitlistPosition: plan.waitlistPosition,
          checkInCode: row.code,
        };
      });
    });
  }

  /**
   * Cancels the attendee's live registration, frees the seat and promotes from the waitlist (`settle_waitlist`),
   * in one transaction; `registrations_commitments` frees the person's time.
   */
  cancel(itemId: string, userId: string): Promise<{ id: string; status: RegistrationStatus } | null> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT id FROM item_seats WHERE id = $1 FOR UPDATE', [itemId]);
      const [cancelled] = returnedRows<{ id: string; status: RegistrationStatus }>(
        await tx.query(
          `WITH old AS (
           SELECT id, status FROM registrations WHERE item_id = $1 AND user_id = $2 AND status <> 'cancelled' FOR UPDATE
         )
         UPDATE registrations r
            SET status = 'cancelled', cancel_reason = 'attendee', waitlist_seq = NULL, cancelled_at = now(), updated_at = now()
           FROM old WHERE r.id = old.id
         RETURNING r.id, old.status`,
          [itemId, userId],
        ),
      );
      if (!cancelled) return null;
      await tx.query(
        `UPDATE item_seats
            SET confirmed_count = confirmed_count - CASE WHEN $2 = 'confirmed' THEN 1 ELSE 0 END,
                waitlist_count = waitlist_count - CASE WHEN $2 = 'waitlisted' THEN 1 ELSE 0 END
          WHERE id = $1`,
        [itemId, cancelled.status],
      );
      await tx.query('SELECT settle_waitlist($1)', [itemId]);
      await appendOutbox(tx, [
        { kind: 'registration_cancelled', itemId, registrationId: cancelled.id, userId },
      ]);
      return cancelled;
    });
  }

  private async lockItem(tx: EntityManager, itemId: string): Promise<(ClaimableItem & SeatCounts) | null> {
    const [row] = await tx.query(
      `SELECT f.organization_id, i.status, f.programme_status, i.registration_required, i.registration_opens_at,
              i.registration_closes_at, i.starts_at, ${SEAT_COUNTS}
         FROM item_seats i JOIN item_facts f ON f.id = i.id
        WHERE i.id = $1 FOR UPDATE OF i`,
      [itemId],
    );
    if (!row) return null;
    return {
      capacity: row.capacity,
      confirmedCount: row.confirmedCount,
      waitlistCount: row.waitlistCount,
      waitlistSeq: row.waitlistSeq,
      organizationId: row.organization_id,
      status: row.status,
      programmeStatus: row.programme_status,
      registrationRequired: row.registration_required,
      registrationOpensAt: row.registration_opens_at,
      registrationClosesAt: row.registration_closes_at,
      startsAt: row.starts_at,
    };
  }

  /** Fills free seats from the waitlist (`settle_waitlist`), then reads the item's counters again. */
  private async settle(tx: EntityManager, itemId: string): Promise<SeatCounts> {
    await tx.query('SELECT settle_waitlist($1)', [itemId]);
    const [counts]: SeatCounts[] = await tx.query(`SELECT ${SEAT_COUNTS} FROM item_seats i WHERE i.id = $1`, [
      itemId,
    ]);
    return counts;
  }
}
