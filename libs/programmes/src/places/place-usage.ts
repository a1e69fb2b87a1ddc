import { EntityManager } from 'typeorm';
import { Conflict, DomainError, formatVenueInstant, toVenueLocal } from '@pavilion/core';
import { isWithinOpeningHours, OpeningHours, OpeningHoursRow } from '@pavilion/venues';
import { displaceItemsIn } from '../displacement/displacement.repository';

/** A placed item that has not ended yet, with the venue's zone for naming its times. */
export interface FutureItemRow {
  id: string;
  title: string;
  starts_at: Date;
  ends_at: Date;
  capacity: number;
  space_id: string;
  timezone: string;
}

/**
 * The scheduled items of these spaces that have not ended, read inside the caller's transaction (whose locks
 * on the spaces keep new bookings out until it commits). `capacityAbove`: only those needing more seats.
 */
export function futureItemsIn(
  tx: EntityManager,
  spaceIds: string[],
  capacityAbove?: number,
): Promise<FutureItemRow[]> {
  return tx.query(
    `SELECT i.id, i.title, i.starts_at, i.ends_at, i.capacity, i.space_id, sp.timezone
       FROM programme_items i JOIN space_places sp ON sp.space_id = i.space_id
      WHERE i.space_id = ANY($1::uuid[]) AND i.status = 'scheduled' AND i.ends_at > now()
        AND ($2::integer IS NULL OR i.capacity > $2)
      ORDER BY i.starts_at, i.id`,
    [spaceIds, capacityAbove ?? null],
  );
}

/** A 409 that names each item in the way and why. */
export function itemsInTheWay(message: string, rows: FutureItemRow[], reason: string): DomainError {
  const conflicts: Conflict[] = rows.map((r) => ({
    itemId: r.id,
    title: r.title,
    startsAt: formatVenueInstant(r.starts_at, r.timezone),
    endsAt: formatVenueInstant(r.ends_at, r.timezone),
    reason,
  }));
  return DomainError.conflicting(message, conflicts);
}

/**
 * Before spaces go: refuses (409) while any of them has items that have not ended; otherwise their closures go
 * first (a deleted space has nothing to close, and an archived one takes no bookings anyway).
 */
export async function clearSpacesForRemoval(
  tx: EntityManager,
  spaceIds: string[],
  what: string,
): Promise<void> {
  const rows = await futureItemsIn(tx, spaceIds);
  if (rows.length > 0)
    throw itemsInTheWay(
      `${what} still has future items; move or cancel them first`,
      rows,
      'takes place there; move or cancel it first',
    );
  await tx.query('DELETE FROM space_closures WHERE space_id = ANY($1::uuid[])', [spaceIds]);
}

/** Refuses (409) while any of the spaces has items that have not ended. */
export async function refuseFutureItems(tx: EntityManager, spaceIds: string[], what: string): Promise<void> {
  const rows = await futureItemsIn(tx, spaceIds);
  if (rows.length > 0)
    throw itemsInTheWay(
      `${what} has future items; move or cancel them first`,
      rows,
      'takes place there; move or cancel it first',
    );
}

/**
 * New opening hours against the future items of a pavilion's spaces: those left outside are a 409 naming
 * them, or with `displace` are displaced (reason outside_opening_hours, the organizers are told) for the
 * scheduler to re-plan. Items that fit again lose that reason (`undisplace_items`). Returns the displaced ids.
 */
export async function applyOpeningHours(
  tx: EntityManager,
  spaceIds: string[],
  zone: string,
  hours: OpeningHoursRow[],
  displace: boolean,
): Promise<string[]> {
  const rows = await futureItemsIn(tx, spaceIds);
  const inForce = hours as OpeningHours[];
  const fits = (r: FutureItemRow) =>
    isWithinOpeningHours(inForce, toVenueLocal(r.starts_at, zone), toVenueLocal(r.ends_at, zone));
  const outside = rows.filter((r) => !fits(r));
  const inside = rows.filter(fits).map((r) => r.id);
  if (inside.length)
    await tx.query('SELECT undisplace_items($1::jsonb, $2::uuid[])', [
      JSON.stringify({ code: 'outside_opening_hours' }),
      inside,
    ]);
  if (outside.length === 0) return [];
  if (!displace)
    throw itemsInTheWay(
      'Some future items would fall outside the new opening hours; move them, or send displace: true',
      outside,
      'lies outside the new opening hours',
    );
  const displaced: string[] = [];
  for (const r of outside)
    displaced.push(
      ...(await displaceItemsIn(tx, [r.space_id], [{ from: r.starts_at, to: r.ends_at }], {
        code: 'outside_opening_hours',
        detail: `The pavilion is no longer open for the whole item (${formatVenueInstant(r.starts_at, zone)})`,
      })),
    );
  return displaced;
}

/** The speaker's placed items that have not ended, inside the caller's transaction. */
export function futureItemsOfSpeaker(tx: EntityManager, speakerId: string): Promise<FutureItemRow[]> {
  return tx.query(
    `SELECT i.id, i.title, i.starts_at, i.ends_at, i.capacity, i.space_id, pp.timezone
       FROM item_speakers isp JOIN programme_items i ON i.id = isp.item_id
       JOIN programmes p ON p.id = i.programme_id JOIN pavilion_places pp ON pp.pavilion_id = p.pavilion_id
      WHERE isp.speaker_id = $1 AND i.status = 'scheduled' AND i.ends_at > now()
      ORDER BY i.starts_at, i.id`,
    [speakerId],
  );
}
