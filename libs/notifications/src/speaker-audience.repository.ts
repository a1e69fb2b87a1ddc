import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ItemFacts } from './notice-facts';

/** A speaker who also holds a live seat at the item (or lost it with the item) hears as a registrant: one letter. */
const NOT_ALSO_REGISTRANT = (statuses: string) => `NOT EXISTS (
  SELECT 1 FROM registration_audience r
   WHERE r.item_id = s.item_id AND r.user_id = s.user_id AND ${statuses})`;

/**
 * The speakers of an item a notice goes to (the programmes lib's speaker_audience view: those with an e-mail):
 * told by e-mail when their item of a published programme moves or is cancelled, once per change, and never of a
 * time no longer current.
 */
@Injectable()
export class SpeakerAudienceRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The speakers of a cancelled item who are not told of it as registrants. */
  async toldOfCancellation(itemId: string): Promise<string[]> {
    const rows: { speaker_id: string }[] = await this.db.query(
      `SELECT s.speaker_id FROM speaker_audience s
        WHERE s.item_id = $1
          AND ${NOT_ALSO_REGISTRANT(`r.status = 'cancelled' AND r.cancel_reason = 'item_cancelled'`)}
        ORDER BY s.speaker_id`,
      [itemId],
    );
    return rows.map((r) => r.speaker_id);
  }

  /**
   * Change notices for every speaker told something other than the item's current time and place (not those
   * told as registrants), written once per item version; like registrants, a speaker counts as told only once the
   * notice is sent (finishDeliveries). Returns the new deliveries' ids.
   */
  async tellChange(item: ItemFacts): Promise<string[]> {
    const inserted: { id: string }[] = await this.db.query(
      `INSERT INTO deliveries (recipient, speaker_id, channel, kind, item_id, item_version, payload)
       SELECT 'speaker:' || s.speaker_id, s.speaker_id, 'email', 'item_rescheduled', s.item_id, $5,
              jsonb_build_object(
                -- A speaker put on the item while it was unplaced was told no place: the notice says where it is now.
                'previous', CASE WHEN s.told_starts_at IS NOT NULL THEN
                  jsonb_build_object('startsAt', s.told_starts_at, 'endsAt', s.told_ends_at, 'spaceId', s.told_space_id)
                END,
                'told', jsonb_build_object('startsAt', $2::timestamptz, 'endsAt', $3::timestamptz, 'spaceId', $4::uuid))
         FROM speaker_audience s
        WHERE s.item_id = $1
          AND (s.told_starts_at, s.told_ends_at, s.told_space_id)
              IS DISTINCT FROM ($2::timestamptz, $3::timestamptz, $4::uuid)
          AND ${NOT_ALSO_REGISTRANT(`r.status <> 'cancelled'`)}
       ON CONFLICT DO NOTHING RETURNING id`,
      [item.id, item.startsAt, item.endsAt, item.spaceId, item.version],
    );
    return inserted.map((r) => r.id);
  }

  /**
   * Items of published programmes some speaker was told a different time or place for, last edited before
   * `quietSince`: also how a programme's publication tells its speakers of moves made while it was a draft.
   */
  async itemsWithUntoldChanges(quietSince: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT DISTINCT i.id FROM item_facts i JOIN speaker_audience s ON s.item_id = i.id
        WHERE i.status = 'scheduled' AND i.programme_status = 'published' AND i.updated_at <= $1
          AND (s.told_starts_at, s.told_ends_at, s.told_space_id) IS DISTINCT FROM (i.starts_at, i.ends_at, i.space_id)
          AND ${NOT_ALSO_REGISTRANT(`r.status <> 'cancelled'`)}`,
      [quietSince],
    );
    return rows.map((r) => r.id);
  }
}
