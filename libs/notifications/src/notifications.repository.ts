import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxKind, returnedRows } from '@pavilion/database';

export type Channel = 'email' | 'in_app' | 'webhook';
export type DeliveryKind = OutboxKind | 'reminder' | 'meeting_reminder';

export interface OutboxRow {
  id: string;
  kind: OutboxKind;
  item_id: string;
  registration_id: string | null;
  user_id: string | null;
  item_version: number | null;
  payload: Record<string, unknown>;
  created_at: Date;
}

export interface NewDelivery {
  userId?: string;
  webhookId?: string;
  channel: Channel;
  kind: DeliveryKind;
  itemId: string;
  itemVersion: number;
  offsetMinutes?: number;
  registrationId?: string;
  /** What else tells this message from another of its kind and item (a meeting, a request); default the registration. */
  ref?: string;
  payload?: Record<string, unknown>;
  dueAt?: Date;
}

export interface ItemFacts {
  id: string;
  title: string;
  status: 'scheduled' | 'cancelled';
  version: number;
  starts_at: Date;
  ends_at: Date;
  space_id: string;
  space_name: string;
  pavilion_name: string;
  venue_name: string;
  timezone: string;
  organization_id: string;
  reminder_offsets: number[];
  cancel_reason: string | null;
}

export interface UserFacts {
  id: string;
  email: string;
  display_name: string;
  locale: 'en' | 'ru' | 'kk';
  notification_preferences: { email?: boolean; reminders?: boolean; reminderOffsetsMinutes?: number[] };
}

export interface DeliveryRow {
  id: string;
  user_id: string | null;
  webhook_id: string | null;
  channel: Channel;
  kind: DeliveryKind;
  item_id: string;
  item_version: number;
  offset_minutes: number;
  registration_id: string | null;
  payload: Record<string, unknown>;
  due_at: Date;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
  attempts: number;
  last_error: string | null;
  subject: string | null;
  created_at: Date;
  sent_at: Date | null;
}

/** The SQL of each user's effective reminder offsets: their own if set, else the programme's. */
const EFFECTIVE_OFFSETS = `coalesce(
  (SELECT array_agg(x::int) FROM jsonb_array_elements_text(u.notification_preferences -> 'reminderOffsetsMinutes') x),
  p.reminder_offsets_minutes)`;

const ITEM_FACTS = `
  SELECT i.id, i.title, i.status, i.version, i.starts_at, i.ends_at, i.space_id, s.name AS space_name,
         pv.name AS pavilion_name, v.name AS venue_name, v.timezone, p.organization_id,
         p.reminder_offsets_minutes AS reminder_offsets, i.cancel_reason
    FROM programme_items i JOIN programmes p ON p.id = i.programme_id
    JOIN spaces s ON s.id = i.space_id JOIN pavilions pv ON pv.id = s.pavilion_id JOIN venues v ON v.id = pv.venue_id`;

/** Who gets a reminder, and whether by email too. */
export interface ReminderRecipient {
  registration_id: string;
  user_id: string;
  email_ok: boolean;
}

/** One message to one recipient as a send needs it: its claimed deliveries (one per channel) and their shared key. */
export interface ClaimedNotice {
  notice: Pick<
    DeliveryRow,
    | 'user_id'
    | 'webhook_id'
    | 'kind'
    | 'item_id'
    | 'item_version'
    | 'offset_minutes'
    | 'registration_id'
    | 'payload'
    | 'due_at'
  > & {
    deliveries: { id: string; channel: Channel }[];
    /** item_rescheduled: the name of the space the attendee was last told of. */
    previous_space_name: string | null;
  };
  item: ItemFacts | null;
  user: UserFacts | null;
  registration: { status: string; waitlist_position: number | null } | null;
}

/** How one claimed delivery ended: `pending` puts it back for a retry. */
export interface DeliveryResult {
  id: string;
  outcome: 'sent' | 'skipped' | 'failed' | 'pending';
  subject?: string;
  body?: string;
  error?: string;
}

/** The notifications lib's only door to PostgreSQL. */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Takes unrelayed outbox rows (skipping those another relay holds), lets `enqueue` turn them into jobs,
   * then marks them relayed. If the process dies before commit, the rows stay and the job ids dedupe the retry.
   */
  relayOutbox(limit: number, enqueue: (rows: OutboxRow[]) => Promise<void>): Promise<OutboxRow[]> {
    return this.db.transaction(async (tx) => {
      const rows: OutboxRow[] = await tx.query(
        `SELECT id::text, kind, item_id, registration_id, user_id, item_version, payload, created_at
           FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return rows;
      await enqueue(rows);
      await tx.query('UPDATE outbox SET relayed_at = now() WHERE id = ANY($1::bigint[])', [
        rows.map((r) => r.id),
      ]);
      return rows;
    });
  }

  /** Inserts deliveries once per unique key; returns the ids of the rows that are new. */
  async createDeliveries(rows: NewDelivery[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const inserted: { id: string }[] = await this.db.query(
      `INSERT INTO deliveries (recipient, user_id, webhook_id, channel, kind, item_id, item_version, offset_minutes, ref,
                               registration_id, payload, due_at)
       SELECT CASE WHEN u IS NOT NULL THEN 'user:' || u ELSE 'webhook:' || w END, u, w, c, k, i, v, o, coalesce(f, r::text, ''), r, p, d
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::int[], $7::int[], $8::uuid[], $9::jsonb[], $10::timestamptz[], $11::text[])
           AS t(u, w, c, k, i, v, o, r, p, d, f)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
        rows.map((r) => r.userId ?? null),
        rows.map((r) => r.webhookId ?? null),
        rows.map((r) => r.channel),
        rows.map((r) => r.kind),
        rows.map((r) => r.itemId),
        rows.map((r) => r.itemVersion),
        rows.map((r) => r.offsetMinutes ?? 0),
        rows.map((r) => r.registrationId ?? null),
        rows.map((r) => JSON.stringify(r.payload ?? {})),
        rows.map((r) => r.dueAt ?? new Date()),
        rows.map((r) => r.ref ?? null),
      ],
    );
    return inserted.map((r) => r.id);
  }

  async itemFacts(itemId: string): Promise<ItemFacts | null> {
    const [row]: ItemFacts[] = await this.db.query(`${ITEM_FACTS} WHERE i.id = $1`, [itemId]);
    return row ?? null;
  }

  async userFacts(userId: string): Promise<UserFacts | null> {
    const [row]: UserFacts[] = await this.db.query(
      'SELECT id, email, display_name, locale, notification_preferences FROM users WHERE id = $1',
      [userId],
    );
    return row ?? null;
  }

  /** The organization's organizers: who hears of its items being displaced. */
  async organizersOf(organizationId: string): Promise<{ user_id: string }[]> {
    return this.db.query(
      'SELECT user_id FROM organization_members WHERE organization_id = $1 ORDER BY user_id',
      [organizationId],
    );
  }

  async webhooksOf(organizationId: string): Promise<{ id: string; url: string; secret: string }[]> {
    return this.db.query(
      'SELECT id, url, secret FROM webhooks WHERE organization_id = $1 ORDER BY created_at',
      [organizationId],
    );
  }

  async webhook(id: string): Promise<{ id: string; url: string; secret: string } | null> {
    const [row] = await this.db.query('SELECT id, url, secret FROM webhooks WHERE id = $1', [id]);
    return row ?? null;
  }

  /** Registrations whose item was cancelled with the item (they are told once). */
  async cancelledWithItem(itemId: string): Promise<
    {
      registration_id: string;
      user_id: string;
      notification_preferences: UserFacts['notification_preferences'];
    }[]
  > {
    return this.db.query(
      `SELECT r.id AS registration_id, r.user_id, u.notification_preferences
         FROM registrations r JOIN users u ON u.id = r.user_id
        WHERE r.item_id = $1 AND r.status = 'cancelled' AND r.cancel_reason = 'item_cancelled'`,
      [itemId],
    );
  }

  /** The distinct reminder offsets that confirmed registrants of an item use (their own, or the programme's). */
  async reminderOffsetsInUse(itemId: string, userId?: string): Promise<number[]> {
    const rows: { offset_minutes: number }[] = await this.db.query(
      `SELECT DISTINCT o.offset_minutes
         FROM registrations r JOIN users u ON u.id = r.user_id
         JOIN programme_items i ON i.id = r.item_id JOIN programmes p ON p.id = i.programme_id
         CROSS JOIN LATERAL unnest(${EFFECTIVE_OFFSETS}) AS o(offset_minutes)
        WHERE r.item_id = $1 AND r.status = 'confirmed' AND ($2::uuid IS NULL OR r.user_id = $2)
        ORDER BY 1`,
      [itemId, userId ?? null],
    );
    return rows.map((r) => r.offset_minutes);
  }

  /** One page of confirmed registrants who should get the reminder for (item, offset) due at `dueAt`. */
  reminderRecipients(
    itemId: string,
    offsetMinutes: number,
    dueAt: Date,
    afterId: string | null,
    limit: number,
    userId: string | null = null,
  ) {
    return this.db.query<ReminderRecipient[]>(
      `SELECT r.id AS registration_id, r.user_id, coalesce((u.notification_preferences ->> 'email')::boolean, true) AS email_ok
         FROM registrations r JOIN users u ON u.id = r.user_id
         JOIN programme_items i ON i.id = r.item_id JOIN programmes p ON p.id = i.programme_id
        WHERE r.item_id = $1 AND r.status = 'confirmed'
          AND coalesce((u.notification_preferences ->> 'reminders')::boolean, true)
          AND $2 = ANY(${EFFECTIVE_OFFSETS})
          AND coalesce(r.promoted_at, r.created_at) <= $3
          AND ($4::uuid IS NULL OR r.id > $4::uuid)
          AND ($6::uuid IS NULL OR r.user_id = $6::uuid)
        ORDER BY r.id LIMIT $5`,
      [itemId, offsetMinutes, dueAt, afterId, limit, userId],
    );
  }

  async markFanoutDone(itemId: string, offsetMinutes: number, version: number): Promise<void> {
    await this.db.query(
      `INSERT INTO reminder_fanouts (item_id, offset_minutes, item_version) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [itemId, offsetMinutes, version],
    );
  }

  /** Reminder fan-outs that are due (within `lookbackMs`) for live items and have not completed. */
  dueFanouts(lookbackMs: number) {
    return this.db.query<{ item_id: string; offset_minutes: number; item_version: number; due_at: Date }[]>(
      `SELECT DISTINCT i.id AS item_id, o.offset_minutes, i.version AS item_version,
              i.starts_at - o.offset_minutes * interval '1 minute' AS due_at
         FROM registrations r JOIN users u ON u.id = r.user_id
         JOIN programme_items i ON i.id = r.item_id JOIN programmes p ON p.id = i.programme_id
         CROSS JOIN LATERAL unnest(${EFFECTIVE_OFFSETS}) AS o(offset_minutes)
        WHERE r.status = 'confirmed' AND i.status = 'scheduled'
          AND i.starts_at - o.offset_minutes * interval '1 minute' BETWEEN now() - $1 * interval '1 millisecond' AND now()
          AND NOT EXISTS (SELECT 1 FROM reminder_fanouts f
                           WHERE f.item_id = i.id AND f.offset_minutes = o.offset_minutes AND f.item_version = i.version)`,
      [lookbackMs],
    );
  }

  /** Items some live registrant was told a different time or place for, last edited before `quietSince`. */
  async itemsWithUntoldChanges(quietSince: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT DISTINCT i.id FROM programme_items i JOIN registrations r ON r.item_id = i.id
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
        registration_id: string;
        told_starts_at: Date;
        told_ends_at: Date;
        told_space_id: string;
      })[] = await tx.query(
        `SELECT r.id AS registration_id, r.told_starts_at, r.told_ends_at, r.told_space_id,
                  u.id, u.email, u.display_name, u.locale, u.notification_preferences
             FROM registrations r JOIN users u ON u.id = r.user_id
            WHERE r.item_id = $1 AND r.status <> 'cancelled'
              AND (r.told_starts_at, r.told_ends_at, r.told_space_id) IS DISTINCT FROM ($2::timestamptz, $3::timestamptz, $4::uuid)
            FOR UPDATE OF r`,
        [item.id, item.starts_at, item.ends_at, item.space_id],
      );
      if (rows.length === 0) return [];
      const told = { startsAt: item.starts_at, endsAt: item.ends_at, spaceId: item.space_id };
      const deliveries = rows.flatMap((r) =>
        channels(r).map<NewDelivery>((channel) => ({
          userId: r.id,
          channel,
          kind: 'item_rescheduled',
          itemId: item.id,
          itemVersion: item.version,
          registrationId: r.registration_id,
          payload: {
            previous: { startsAt: r.told_starts_at, endsAt: r.told_ends_at, spaceId: r.told_space_id },
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

  /** Pending deliveries of one reminder fan-out, or all stale ones (no job may exist for them any more). */
  async pendingDeliveries(
    filter:
      { itemId: string; kind: DeliveryKind; offsetMinutes: number; version: number } | { olderThan: Date },
  ) {
    const rows: { id: string; due_at: Date }[] =
      'itemId' in filter
        ? await this.db.query(
            `SELECT id, due_at FROM deliveries WHERE item_id = $1 AND kind = $2 AND offset_minutes = $3 AND item_version = $4 AND status = 'pending'`,
            [filter.itemId, filter.kind, filter.offsetMinutes, filter.version],
          )
        : await this.db.query(
            `SELECT id, due_at FROM deliveries
              WHERE (status = 'pending' AND due_at <= $1 AND updated_at <= $1)
                 OR (status = 'sending' AND lease_until < now())
              ORDER BY due_at LIMIT 5000`,
            [filter.olderThan],
          );
    return rows;
  }

  /** Takes a delivery for sending: pending (or a sending one whose lease ran out) → sending with a lease. */
  /**
   * Takes deliveries for sending (pending, or sending with an expired lease → sending with a lease) and reads each
   * one's item, recipient and registration as they are now, in one round trip. Those not returned are taken
   * by another worker or done.
   */
  /**
   * Claims deliveries with a lease and returns them as notices: the twins of one message (the ledger key without
   * the channel) come back together, so each message is checked and rendered once whatever its channels.
   */
  async claimDeliveries(ids: string[], leaseMs: number): Promise<ClaimedNotice[]> {
    const rows: (ClaimedNotice['notice'] & {
      email: string | null;
      display_name: string;
      locale: UserFacts['locale'];
      notification_preferences: UserFacts['notification_preferences'];
      registration_status: string | null;
      waitlist_position: number | null;
    })[] = await this.db.query(
      `WITH claimed AS (
           UPDATE deliveries SET status = 'sending', lease_until = now() + $2 * interval '1 millisecond',
                  attempts = attempts + 1, updated_at = now()
            WHERE id = ANY($1::uuid[]) AND (status = 'pending' OR (status = 'sending' AND lease_until < now()))
            RETURNING *),
         notices AS (
           SELECT user_id, webhook_id, kind, item_id, item_version, offset_minutes, registration_id, payload,
                  min(due_at) AS due_at, json_agg(json_build_object('id', id, 'channel', channel) ORDER BY channel) AS deliveries
             FROM claimed
            GROUP BY recipient, kind, item_id, item_version, offset_minutes, ref, user_id, webhook_id, registration_id, payload)
         SELECT n.*, u.email, u.display_name, u.locale, u.notification_preferences, r.status AS registration_status,
                CASE WHEN n.payload ? 'previous' THEN (SELECT name FROM spaces
                   WHERE id::text = n.payload -> 'previous' ->> 'spaceId') END AS previous_space_name,
                CASE WHEN r.status = 'waitlisted' THEN (SELECT count(*)::int + 1 FROM registrations w
                   WHERE w.item_id = r.item_id AND w.status = 'waitlisted' AND w.waitlist_seq < r.waitlist_seq) END
                  AS waitlist_position
           FROM notices n LEFT JOIN users u ON u.id = n.user_id LEFT JOIN registrations r ON r.id = n.registration_id`,
      [ids, leaseMs],
    );
    if (rows.length === 0) return [];
    // Read after the claim, so a send re-checks the item as it is now; a batch almost always shares one item.
    const items: ItemFacts[] = await this.db.query(`${ITEM_FACTS} WHERE i.id = ANY($1::uuid[])`, [
      [...new Set(rows.map((r) => r.item_id))],
    ]);
    const itemsById = new Map(items.map((i) => [i.id, i]));
    return rows.map(
      ({
        email,
        display_name,
        locale,
        notification_preferences,
        registration_status,
        waitlist_position,
        ...notice
      }) => ({
        notice,
        item: itemsById.get(notice.item_id) ?? null,
        user:
          notice.user_id !== null && email !== null
            ? { id: notice.user_id, email, display_name, locale, notification_preferences }
            : null,
        registration:
          registration_status !== null ? { status: registration_status, waitlist_position } : null,
      }),
    );
  }

  /**
   * Records how each claimed delivery ended, in one statement; rows no longer 'sending' are left alone. The
   * outcomes travel as one JSON document: serialising it is native work, unlike escaping five text arrays.
   * Subjects and in-app texts travel once each: a batch of one reminder holds a few distinct ones (one per
   * language), and the rows point at them.
   * A change notice sent while the item is still at its version marks its registrant told of that place.
   */
  async finishDeliveries(results: DeliveryResult[]): Promise<void> {
    if (results.length === 0) return;
    const texts: string[] = [];
    const textIndex = new Map<string, number>();
    const indexOf = (text: string | undefined): number | null => {
      if (text === undefined) return null;
      let index = textIndex.get(text);
      if (index === undefined) {
        index = texts.push(text) - 1;
        textIndex.set(text, index);
      }
      return index;
    };
    const rows = results.map(({ id, outcome, subject, body, error }) => ({
      id,
      outcome,
      subject: indexOf(subject),
      body: indexOf(body),
      error: error ?? null,
    }));
    await this.db.query(
      `WITH finished AS (
         UPDATE deliveries d SET status = r.outcome, subject = coalesce($2::jsonb ->> r.subject, d.subject),
                body = coalesce($2::jsonb ->> r.body, d.body),
                last_error = r.error, lease_until = NULL, updated_at = now(),
                sent_at = CASE WHEN r.outcome = 'sent' THEN now() ELSE d.sent_at END
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, outcome text, subject int, body int, error text)
          WHERE d.id = r.id AND d.status = 'sending'
          RETURNING d.kind, d.status, d.item_id, d.item_version, d.registration_id, d.payload -> 'told' AS told),
       told AS (
         SELECT DISTINCT ON (f.registration_id) f.registration_id, f.told
           FROM finished f JOIN programme_items i ON i.id = f.item_id AND i.version = f.item_version
          WHERE f.kind = 'item_rescheduled' AND f.status = 'sent' AND f.told IS NOT NULL)
       UPDATE registrations g SET told_starts_at = (t.told ->> 'startsAt')::timestamptz,
              told_ends_at = (t.told ->> 'endsAt')::timestamptz, told_space_id = (t.told ->> 'spaceId')::uuid
         FROM told t WHERE g.id = t.registration_id`,
      [JSON.stringify(rows), JSON.stringify(texts)],
    );
  }

  /** The in-app list: what was sent to the person, newest first, with the channels each notice went through. */
  inbox(userId: string, limit: number, before?: { createdUs: string; id: string }) {
    return this.db.query<
      {
        id: string;
        kind: string;
        item_id: string;
        subject: string;
        body: string;
        created_at: Date;
        created_us: string;
        channels: Channel[];
      }[]
    >(
      `SELECT d.id, d.kind, d.item_id, d.subject, d.body, d.created_at,
              (extract(epoch FROM d.created_at) * 1000000)::bigint::text AS created_us,
              (SELECT array_agg(o.channel ORDER BY o.channel) FROM deliveries o
                WHERE o.recipient = d.recipient AND o.kind = d.kind AND o.item_id = d.item_id AND o.item_version = d.item_version
                  AND o.offset_minutes = d.offset_minutes AND o.ref = d.ref AND o.status = 'sent') AS channels
         FROM deliveries d
        WHERE d.user_id = $1 AND d.channel = 'in_app' AND d.status = 'sent'
          AND ($2::bigint IS NULL OR (d.created_at, d.id) < ('epoch'::timestamptz + $2::bigint * interval '1 microsecond', $3::uuid))
        ORDER BY d.created_at DESC, d.id DESC LIMIT $4`,
      [userId, before?.createdUs ?? null, before?.id ?? null, limit],
    );
  }

  deliveriesByStatus(
    status: DeliveryRow['status'],
    limit: number,
    after?: { createdUs: string; id: string },
  ) {
    return this.db.query<(DeliveryRow & { created_us: string })[]>(
      `SELECT d.*, (extract(epoch FROM d.created_at) * 1000000)::bigint::text AS created_us FROM deliveries d
        WHERE d.status = $1
          AND ($2::bigint IS NULL OR (d.created_at, d.id) > ('epoch'::timestamptz + $2::bigint * interval '1 microsecond', $3::uuid))
        ORDER BY d.created_at, d.id LIMIT $4`,
      [status, after?.createdUs ?? null, after?.id ?? null, limit],
    );
  }

  /** Puts a failed delivery back in line; returns false when it is not failed. */
  async requeueFailed(id: string): Promise<number | null> {
    const [row] = returnedRows<{ attempts: number }>(
      await this.db.query(
        `UPDATE deliveries SET status = 'pending', last_error = NULL, updated_at = now()
          WHERE id = $1 AND status = 'failed' RETURNING attempts`,
        [id],
      ),
    );
    return row ? row.attempts : null;
  }

  async deliveryExists(id: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM deliveries WHERE id = $1', [id])).length > 0;
  }

  createWebhook(organizationId: string, url: string, secret: string) {
    return this.db.query<{ id: string; url: string; created_at: Date }[]>(
      'INSERT INTO webhooks (organization_id, url, secret) VALUES ($1, $2, $3) RETURNING id, url, created_at',
      [organizationId, url, secret],
    );
  }

  listWebhooks(organizationId: string) {
    return this.db.query<{ id: string; url: string; created_at: Date }[]>(
      'SELECT id, url, created_at FROM webhooks WHERE organization_id = $1 ORDER BY created_at',
      [organizationId],
    );
  }

  async deleteWebhook(organizationId: string, id: string): Promise<boolean> {
    const [, count] = (await this.db.query('DELETE FROM webhooks WHERE organization_id = $1 AND id = $2', [
      organizationId,
      id,
    ])) as [unknown, number];
    return count > 0;
  }

  async outboxLagSeconds(): Promise<number> {
    const [row]: { lag: number | null }[] = await this.db.query(
      `SELECT extract(epoch FROM now() - min(created_at))::float AS lag FROM outbox WHERE relayed_at IS NULL`,
    );
    return row?.lag ?? 0;
  }
}
