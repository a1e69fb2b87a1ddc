import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returnedRows } from '@pavilion/database';
import { DisplacedReason, Speaker, TimeRange } from '../programme.entities';

export interface ClosureRow {
  id: string;
  space_id: string;
  starts_at: Date;
  ends_at: Date;
  reason: string;
  created_at: Date;
}

const CLOSURE_COLUMNS = `id, space_id, lower(during) AS starts_at, upper(during) AS ends_at, reason, created_at`;

/**
 * Marks the placed items of these spaces that overlap any of these ranges as displaced by
 * `reason`, inside the caller's transaction, and tells the organizers (outbox `item_displaced`). Every flow
 * that takes time away from spaces uses it: a closure, and opening hours that shrink. Returns the item ids it
 * newly displaced. The work is the database's: `displace_items_in`, which calls `displace_items`.
 */
export async function displaceItemsIn(
  tx: EntityManager,
  spaceIds: string[],
  ranges: { from: Date; to: Date }[],
  reason: DisplacedReason,
): Promise<string[]> {
  if (spaceIds.length === 0 || ranges.length === 0) return [];
  const rows: { id: string }[] = await tx.query(
    `SELECT id FROM displace_items_in($1::uuid[],
       (SELECT range_agg(tstzrange(f, t, '[)')) FROM unnest($2::timestamptz[], $3::timestamptz[]) AS r(f, t)),
       $4::jsonb) AS id`,
    [spaceIds, ranges.map((r) => r.from), ranges.map((r) => r.to), JSON.stringify(reason)],
  );
  return rows.map((r) => r.id);
}

/** Closures and displacement: their door to PostgreSQL. */
@Injectable()
export class DisplacementRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Closes a space for [from, to) and displaces what stands there, in one transaction. The space's row lock
   * orders this against a concurrent booking of the space (whose trigger takes it in share mode), so a booking
   * either sees the closure (and is refused) or is seen by it (and is displaced).
   */
  closeSpace(
    spaceId: string,
    from: Date,
    to: Date,
    reason: string,
    detail: (closureId: string) => string,
  ): Promise<{ closure: ClosureRow; displaced: string[] }> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM space_capacities WHERE id = $1 FOR UPDATE', [spaceId]);
      const [closure]: ClosureRow[] = await tx.query(
        `INSERT INTO space_closures (space_id, during, reason) VALUES ($1, tstzrange($2, $3, '[)'), $4)
         RETURNING ${CLOSURE_COLUMNS}`,
        [spaceId, from, to, reason],
      );
      const displaced = await displaceItemsIn(tx, [spaceId], [{ from, to }], {
        code: 'space_closed',
        detail: detail(closure.id),
        closureId: closure.id,
      });
      return { closure, displaced };
    });
  }

  listClosures(spaceId: string): Promise<ClosureRow[]> {
    return this.db.query(
      `SELECT ${CLOSURE_COLUMNS} FROM space_closures WHERE space_id = $1 ORDER BY lower(during), id`,
      [spaceId],
    );
  }

  /**
   * Removes a closure; the items it alone displaced are no longer displaced (`undisplace_items`). False when
   * there is none.
   */
  deleteClosure(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const deleted = returnedRows<{ id: string }>(
        await tx.query('DELETE FROM space_closures WHERE id = $1 RETURNING id', [id]),
      );
      if (deleted.length === 0) return false;
      await tx.query('SELECT undisplace_items($1::jsonb)', [JSON.stringify({ closureId: id })]);
      return true;
    });
  }

  /**
   * Replaces a speaker's availability and, in the same transaction, displaces their placed items that now lie
   * outside it (telling the organizers) and takes the displacement back from those that fit again. Items that
   * have ended are left alone: availability given for the future says nothing about the past
   * (`displace_items`, `undisplace_items`).
   */
  setSpeakerAvailability(id: string, availability: TimeRange[] | null): Promise<Speaker | null> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(Speaker);
      await repo.update({ id }, { availability });
      const speaker = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!speaker) return null;
      const items: { id: string; fits: boolean }[] = await tx.query(
        `SELECT i.id, (s.availability IS NULL OR EXISTS (
                  SELECT 1 FROM jsonb_array_elements(s.availability) r
                   WHERE (r ->> 'from')::timestamptz <= i.starts_at AND i.ends_at <= (r ->> 'to')::timestamptz)) AS fits
           FROM item_speakers isp JOIN programme_items i ON i.id = isp.item_id JOIN speakers s ON s.id = isp.speaker_id
          WHERE isp.speaker_id = $1 AND i.status = 'scheduled' AND i.ends_at > now()`,
        [id],
      );
      const outside = items.filter((i) => !i.fits).map((i) => i.id);
      const inside = items.filter((i) => i.fits).map((i) => i.id);
      const reason: DisplacedReason = {
        code: 'speaker_unavailable',
        detail: `${speaker.name} is no longer available for the whole item`,
        speakerId: id,
      };
      if (outside.length)
        await tx.query('SELECT displace_items($1::uuid[], $2::jsonb)', [outside, JSON.stringify(reason)]);
      if (inside.length)
        await tx.query('SELECT undisplace_items($1::jsonb, $2::uuid[])', [
          JSON.stringify({ code: 'speaker_unavailable', speakerId: id }),
          inside,
        ]);
      return speaker;
    });
  }
}
