import { EntityManager } from 'typeorm';

/** What a sent change notice told a registrant of their item's time and place, and which item version it was about. */
export interface ToldPlace {
  registrationId: string;
  itemId: string;
  itemVersion: number;
  startsAt: string;
  endsAt: string;
  spaceId: string;
}

/**
 * The registrations lib's write of what each registrant was last told (`told_*`), in the caller's transaction:
 * the notifications lib calls it as it records change notices sent. A notice about a version the item has left
 * behind marks nobody, so the next change notice still tells them.
 */
export async function recordToldPlaces(tx: EntityManager, told: ToldPlace[]): Promise<void> {
  if (told.length === 0) return;
  await tx.query(
    `UPDATE registrations g SET told_starts_at = t.starts_at, told_ends_at = t.ends_at, told_space_id = t.space_id
       FROM jsonb_to_recordset($1::jsonb)
              AS t(registration_id uuid, item_id uuid, item_version int, starts_at timestamptz, ends_at timestamptz,
                   space_id uuid)
       JOIN item_seats i ON i.id = t.item_id AND i.version = t.item_version
      WHERE g.id = t.registration_id`,
    [
      JSON.stringify(
        told.map((t) => ({
          registration_id: t.registrationId,
          item_id: t.itemId,
          item_version: t.itemVersion,
          starts_at: t.startsAt,
          ends_at: t.endsAt,
          space_id: t.spaceId,
        })),
      ),
    ],
  );
}
