import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NewDelivery } from './delivery-ledger.repository';
import {
  Channel,
  ITEM_FACTS,
  ItemFacts,
  NotificationPreferences,
  USER_FACTS_COLUMNS,
  UserFacts,
} from './notice-facts';

/** The SQL of each registrant's effective reminder offsets (`r` in registration_audience, `i` in item_facts). */
const EFFECTIVE_OFFSETS = `coalesce(
  (SELECT array_agg(x::int) FROM jsonb_array_elements_text(r.notification_preferences -> 'reminderOffsetsMinutes') x),
  i.reminder_offsets)`;

/**
 * Confirmed registrants of an item ($1) who should get its reminder with offset $2 due at $3: they allow
 * reminders, use that offset, and held their seat by the due time (`r` in registration_audience, `i` in item_facts).
 */
const REMINDER_AUDIENCE = `registration_audience r JOIN item_facts i ON i.id = r.item_id
        WHERE r.item_id = $1 AND r.status = 'confirmed'
          AND coalesce((r.notification_preferences ->> 'reminders')::boolean, true)
          AND $2 = ANY(${EFFECTIVE_OFFSETS})
          AND coalesce(r.promoted_at, r.created_at) <= $3`;
const EMAIL_OK = `coalesce((r.notification_preferences ->> 'email')::boolean, true)`;

/** Who gets a reminder, and whether by email too. */
export interface ReminderRecipient {
  registrationId: string;
  userId: string;
  emailOk: boolean;
}

/**
 * Who hears of what: the facts of items and people a notice names, the audiences of reminders, cancellations
 * and change notices, and the reminder fan-out bookkeeping (reminder_fanouts). Used by the fan-out side.
 */
@Injectable()
export class AudienceRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async itemFacts(itemId: string): Promise<ItemFacts | null> {
    const [row]: ItemFacts[] = await this.db.query(`${ITEM_FACTS} AND i.id = $1`, [itemId]);
    return row ?? null;
  }

  async userFacts(userId: string): Promise<UserFacts | null> {
    const [row]: UserFacts[] = await this.db.query(
      `SELECT ${USER_FACTS_COLUMNS} FROM person_facts u WHERE u.id = $1`,
      [userId],
    );
    return row ?? null;
  }

  /** The facts of these people, by id, in one query; a person gone (erased) is not in it. */
  async usersFacts(userIds: string[]): Promise<Map<string, UserFacts>> {
    if (userIds.length === 0) return new Map();
    const rows: UserFacts[] = await this.db.query(
      `SELECT ${USER_FACTS_COLUMNS} FROM person_facts u WHERE u.id = ANY($1::uuid[])`,
      [userIds],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** The organization's organizers: who hears of its items being displaced. */
  async organizersOf(organizationId: string): Promise<string[]> {
    const rows: { user_id: string }[] = await this.db.query(
      'SELECT user_id FROM organization_organizers WHERE organization_id = $1 ORDER BY user_id',
      [organizationId],
    );
    return rows.map((r) => r.user_id);
  }

  async webhooksOf(organizationId: string): Promise<{ id: string; url: string; secret: string }[]> {
    return this.db.query(
      'SELECT id, url, secret FROM webhooks WHERE organization_id = $1 ORDER BY created_at',
      [organizationId],
    );
  }

  /**
   * An item's registrants: `live` (confirmed or waitlisted: told of an unpublication), or `cancelled_with_item`
   * (their registration went with the item: told of its cancellation once).
   */
  async registrantsOf(
    itemId: string,
    which: 'live' | 'cancelled_with_item',
  ): Promise<{ registrationId: string; userId: string; notificationPreferences: NotificationPreferences }[]> {
    return this.db.query(
      `SELECT registration_id AS "registrationId", user_id AS "userId", notification_preferences AS "notificationPreferences"
         FROM registration_audience
        WHERE item_id = $1 AND CASE WHEN $2 = 'live' THEN status IN ('confirmed', 'waitlisted')
                                    ELSE status = 'cancelled' AND cancel_reason = 'item_cancelled' END
        ORDER BY registration_id`,
      [itemId, which],
    );
  }

  /**
   * The distinct reminder offsets that confirmed registrants of an item use (their own, or the programme's), of
   * these people only when `userIds` is given, and the item's seats (no offsets, no seats read).
   */
  async reminderOffsetsInUse(
    itemId: string,
    userIds?: string[],
  ): Promise<{ offsets: number[]; seats: number }> {
    const rows: { offset_minutes: number; seats: number }[] = await this.db.query(
      `SELECT DISTINCT o.offset_minutes, s.capacity AS seats
         FROM registration_audience r JOIN item_facts i ON i.id = r.item_id JOIN item_seats s ON s.id = i.id
         CROSS JOIN LATERAL unnest(${EFFECTIVE_OFFSETS}) AS o(offset_minutes)
        WHERE r.item_id = $1 AND r.status = 'confirmed' AND ($2::uuid[] IS NULL OR r.user_id = ANY($2::uuid[]))
        ORDER BY 1`,
      [itemId, userIds ?? null],
    );
    return { offsets: rows.map((r) => r.offset_minutes), seats: rows[0]?.seats ?? 0 };
  }

  /**
   * One page of confirmed registrants who should get the reminder for (item, offset) due at `dueAt`; of these
   * people only when `userIds` is given.
   */
  reminderRecipients(
    itemId: string,
    offsetMinutes: number,
    dueAt: Date,
    afterId: string | null,
    limit: number,
    userIds: string[] | null = null,
  ) {
    return this.db.query<ReminderRecipient[]>(
      `SELECT r.registration_id AS "registrationId", r.user_id AS "userId", ${EMAIL_OK} AS "emailOk"
         FROM ${REMINDER_AUDIENCE}
          AND ($4::uuid IS NULL OR r.registration_id > $4::uuid)
          AND ($6::uuid[] IS NULL OR r.user_id = ANY($6::uuid[]))
        ORDER BY r.registration_id LIMIT $5`,
      [itemId, offsetMinutes, dueAt, afterId, limit, userIds],
    );
  }

  /** How many of a reminder's recipients get it by email: the letters its fan-out paces under the cap. */
  async reminderLetters(itemId: string, offsetMinutes: number, dueAt: Date): Promise<number> {
    const [row]: { n: number }[] = await this.db.query(
      `SELECT count(*)::int AS n FROM ${REMINDER_AUDIENCE} AND ${EMAIL_OK}`,
      [itemId, offsetMinutes, dueAt],
    );
    return row.n;
  }

  async markFanoutDone(itemId: string, offsetMinutes: number, version: number): Promise<void> {
    await this.db.query(
      `INSERT INTO reminder_fanouts (item_id, offset_minutes, item_version) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [itemId, offsetMinutes, version],
    );
  }

  /**
   * Reminder fan-outs of live items of published programmes that have not completed, due within `lookbackMs` ago
   * and `aheadMs` from now (a capped reminder fans out before its due time), with the item's seats.
   */
  dueFanouts(lookbackMs: number, aheadMs = 0) {
    return this.db.query<
      { itemId: string; offsetMinutes: number; itemVersion: number; dueAt: Date; seats: number }[]
    >(
      `SELECT DISTINCT i.id AS "itemId", o.offset_minutes AS "offsetMinutes", i.version AS "itemVersion",
              i.starts_at - o.offset_minutes * interval '1 minute' AS "dueAt", s.capacity AS seats
         FROM registration_audience r JOIN item_facts i ON i.id = r.item_id JOIN item_seats s ON s.id = i.id
         CROSS JOIN LATERAL unnest(${EFFECTIVE_OFFSETS}) AS o(offset_minutes)
        WHERE r.status = 'confirmed' AND i.status = 'scheduled' AND i.programme_status = 'published'
          AND i.starts_at - o.offset_minutes * interval '1 minute'
              BETWEEN now() - $1 * interval '1 millisecond' AND now() + $2 * interval '1 millisecond'
          AND NOT EXISTS (SELECT 1 FROM reminder_fanouts f
                           WHERE f.item_id = i.id AND f.offset_minutes = o.offset_minutes AND f.item_version = i.version)`,
      [lookbackMs, aheadMs],
    );
  }

  /** Items some live registrant was told a different time or place for, last edited before `quietSince`. */
  async itemsWithUntoldChanges(quietSince: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT DISTINCT i.id FROM item_facts i JOIN registration_audience r ON r.item_id = i.id
        WHERE i.status = 'scheduled' AND r.status <> 'cancelled' AND i.updated_at <= $1
          AND (r.told_starts_at, r.told_ends_at, r.told_space_id) IS DISTINCT FROM (i.starts_at, i.ends_at, i.space_id)`,
      [quietSince],
    );
    return rows.map((r) => r.id);
  }

  /**
   * For every live registrant told something other than the item's current time and place: records a change
   * notice from what they were told to where the item is now. They count as told only once the notice is sent
   * (see finishDeliveries): a notice that goes stale before it is sent leaves them where they were.
   */
  tellChange(item: ItemFacts, channels: (user: UserFacts) => Channel[]): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const rows: (UserFacts & {
        registrationId: string;
        toldStartsAt: Date;
        toldEndsAt: Date;
        toldSpaceId: string;
      })[] = await tx.query(
        `SELECT r.registration_id AS "registrationId", r.told_starts_at AS "toldStartsAt",
                r.told_ends_at AS "toldEndsAt", r.told_space_id AS "toldSpaceId", r.user_id AS id, r.email,
                r.display_name AS "displayName", r.locale, r.notification_preferences AS "notificationPreferences"
             FROM registration_audience r
            WHERE r.item_id = $1 AND r.status <> 'cancelled'
              AND (r.told_starts_at, r.told_ends_at, r.told_space_id) IS DISTINCT FROM ($2::timestamptz, $3::timestamptz, $4::uuid)
            FOR UPDATE OF r`,
        [item.id, item.startsAt, item.endsAt, item.spaceId],
      );
      if (rows.length === 0) return [];
      const told = { startsAt: item.startsAt, endsAt: item.endsAt, spaceId: item.spaceId };
      const deliveries = rows.flatMap((r) =>
        channels(r).map<NewDelivery>((channel) => ({
          userId: r.id,
          channel,
          kind: 'item_rescheduled',
          itemId: item.id,
          itemVersion: item.version,
          registrationId: r.registrationId,
          payload: {
            previous: { startsAt: r.toldStartsAt, endsAt: r.toldEndsAt, spaceId: r.toldSpaceId },
            told,
          },
        })),
      );
      const inserted: { id: string }[] = await tx.query(
        `INSERT INTO deliveries (recipient, user_id, channel, kind, item_id, item_version, ref, registration_id, payload)
         SELECT 'user:' || u, u, c, 'item_rescheduled', $1, $2, r::text, r, p
           FROM unnest($3::uuid[], $4::text[], $5::uuid[], $6::jsonb[]) AS t(u, c, r, p)
         ON CONFLICT DO NOTHING RETURNING id`,
        [
          item.id,
          item.version,
          deliveries.map((d) => d.userId),
          deliveries.map((d) => d.channel),
          deliveries.map((d) => d.registrationId),
          deliveries.map((d) => JSON.stringify(d.payload)),
        ],
      );
      return inserted.map((r) => r.id);
    });
  }
}
