import { EntityManager } from 'typeorm';

/** What a sent change notice told a speaker of their item's time and place, and which item version it was about. */
export interface SpeakerToldPlace {
  speakerId: string;
  itemId: string;
  itemVersion: number;
  startsAt: string;
  endsAt: string;
  spaceId: string;
}

/**
 * The programmes lib's write of what each speaker was last told of an item (`item_speakers.told_*`), in the
 * caller's transaction: the notifications lib calls it as it records change notices sent, as it calls the
 * registrations lib's recordToldPlaces. A notice about a version the item has left behind marks nobody.
 */
export async function recordSpeakersTold(tx: EntityManager, told: SpeakerToldPlace[]): Promise<void> {
  if (told.length === 0) return;
  await tx.query(
    `UPDATE item_speakers isp SET told_starts_at = t.starts_at, told_ends_at = t.ends_at, told_space_id = t.space_id
       FROM jsonb_to_recordset($1::jsonb)
              AS t(speaker_id uuid, item_id uuid, item_version int, starts_at timestamptz, ends_at timestamptz,
                   space_id uuid)
       JOIN programme_items i ON i.id = t.item_id AND i.version = t.item_version
      WHERE isp.item_id = t.item_id AND isp.speaker_id = t.speaker_id`,
    [
      JSON.stringify(
        told.map((t) => ({
          speaker_id: t.speakerId,
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
