import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { recordSpeakersTold } from '@pavilion/programmes';
import { recordToldPlaces } from '@pavilion/registrations';
import { Channel, ITEM_FACTS, ItemFacts, UserFacts } from './notice-facts';
import { NoticeKind } from './notice-kinds';

export interface NewDelivery {
  userId?: string;
  webhookId?: string;
  /** A speaker of the item (by e-mail only): told of its moves and its cancellation. */
  speakerId?: string;
  channel: Channel;
  kind: NoticeKind;
  itemId: string;
  itemVersion: number;
  offsetMinutes?: number;
  registrationId?: string;
  /** What else tells this message from another of its kind and item (a meeting, a request); default the registration. */
  ref?: string;
  payload?: Record<string, unknown>;
  dueAt?: Date;
  /** When its send job releases it, where that is not the due time (a paced reminder). */
  sendAt?: Date;
}

/** A row the ledger wrote. */
export interface CreatedDelivery {
  id: string;
  channel: Channel;
}

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

/**
 * A claimed delivery of a message. `carried`: the in-app notice a person's e-mail row carries (notice-channels.ts);
 * it has no row yet, `id` is its letter's, and finishing the letter's row writes it.
 */
export interface ClaimedDelivery {
  id: string;
  channel: Channel;
  carried?: true;
}

/** One message to one recipient as a send needs it: its claimed deliveries (one per channel) and their shared key. */
export interface ClaimedNotice {
  notice: {
    userId: string | null;
    webhookId: string | null;
    speakerId: string | null;
    kind: NoticeKind;
    itemId: string;
    itemVersion: number;
    offsetMinutes: number;
    registrationId: string | null;
    payload: Record<string, unknown>;
    dueAt: Date;
    deliveries: ClaimedDelivery[];
    /** item_rescheduled: the name of the space the attendee was last told of. */
    previousSpaceName: string | null;
  };
  item: ItemFacts | null;
  user: UserFacts | null;
  registration: NoticeRegistration | null;
}

/** The recipient's registration as a notice re-checks and names it. */
export interface NoticeRegistration {
  status: string;
  waitlistPosition: number | null;
  checkInCode: string;
}

/** What a change notice tells its registrant of the item's time and place (its payload's `told`). */
interface ToldChange {
  startsAt: string;
  endsAt: string;
  spaceId: string;
}

/** How one claimed delivery ended: `pending` puts it back for a retry. */
export interface DeliveryResult {
  id: string;
  /** A carried in-app notice (ClaimedDelivery): written under its letter's key when it was sent or failed. */
  carried?: true;
  /** Its kind, when the caller knows it: a batch with no change notice sent needs no transaction to finish. */
  kind?: NoticeKind;
  outcome: 'sent' | 'skipped' | 'failed' | 'pending';
  subject?: string;
  body?: string;
  error?: string;
}

/**
 * The delivery ledger (deliveries): one row per message and channel, written once per unique key, claimed with
 * a lease for sending and finished with its outcome. Used by the fan-out (writes) and the send side.
 */
@Injectable()
export class DeliveryLedgerRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inserts deliveries once per unique key; returns the rows that are new. */
  async createDeliveries(rows: NewDelivery[]): Promise<CreatedDelivery[]> {
    if (rows.length === 0) return [];
    return this.db.query(
      `INSERT INTO deliveries (recipient, user_id, webhook_id, speaker_id, channel, kind, item_id, item_version,
                               offset_minutes, ref, registration_id, payload, due_at, send_at)
       SELECT CASE WHEN u IS NOT NULL THEN 'user:' || u WHEN w IS NOT NULL THEN 'webhook:' || w ELSE 'speaker:' || s END,
              u, w, s, c, k, i, v, o, coalesce(f, r::text, ''), r, p, d, t.send_at
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::int[], $7::int[], $8::uuid[], $9::jsonb[], $10::timestamptz[], $11::text[], $12::uuid[], $13::timestamptz[])
           AS t(u, w, c, k, i, v, o, r, p, d, f, s, send_at)
       ON CONFLICT DO NOTHING
       RETURNING id, channel`,
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
        rows.map((r) => r.speakerId ?? null),
        rows.map((r) => r.sendAt ?? null),
      ],
    );
  }

  async webhook(id: string): Promise<{ id: string; url: string; secret: string } | null> {
    const [row] = await this.db.query('SELECT id, url, secret FROM webhooks WHERE id = $1', [id]);
    return row ?? null;
  }

  /**
   * Pending deliveries of one reminder fan-out (a message's twins side by side), or all stale ones: released
   * (send time, else due time) and untouched before `olderThan`, so no job may exist for them any more.
   */
  async pendingDeliveries(
    filter:
      { itemId: string; kind: NoticeKind; offsetMinutes: number; version: number } | { olderThan: Date },
  ) {
    const rows: { id: string; channel: Channel; dueAt: Date }[] =
      'itemId' in filter
        ? await this.db.query(
            `SELECT id, channel, due_at AS "dueAt" FROM deliveries
              WHERE item_id = $1 AND kind = $2 AND offset_minutes = $3 AND item_version = $4 AND status = 'pending'
              ORDER BY recipient, channel`,
            [filter.itemId, filter.kind, filter.offsetMinutes, filter.version],
          )
        : await this.db.query(
            `SELECT id, channel, due_at AS "dueAt" FROM deliveries
              WHERE (status = 'pending' AND coalesce(send_at, due_at) <= $1 AND updated_at <= $1)
                 OR (status = 'sending' AND lease_until < now())
              ORDER BY due_at LIMIT 5000`,
            [filter.olderThan],
          );
    return rows;
  }

  /**
   * Claims deliveries for sending (pending, or sending with an expired lease → sending with a new lease) and
   * returns them as notices, with each one's item, recipient and registration as they are now. The twins of one
   * message (the ledger key without the channel) come back together, so each message is checked and rendered
   * once whatever its channels. Ids not returned are another worker's or done.
   */
  async claimDeliveries(ids: string[], leaseMs: number): Promise<ClaimedNotice[]> {
    const rows: (ClaimedNotice['notice'] &
      Omit<UserFacts, 'id' | 'email'> & { email: string | null; registrationStatus: string | null } & Omit<
        NoticeRegistration,
        'status'
      >)[] = await this.db.query(
      `WITH claimed AS (
           UPDATE deliveries SET status = 'sending', lease_until = now() + $2 * interval '1 millisecond',
                  attempts = attempts + 1, updated_at = now()
            WHERE id = ANY($1::uuid[]) AND (status = 'pending' OR (status = 'sending' AND lease_until < now()))
            RETURNING *),
         notices AS (
           SELECT user_id AS "userId", webhook_id AS "webhookId", speaker_id AS "speakerId", kind, item_id AS "itemId",
                  item_version AS "itemVersion", offset_minutes AS "offsetMinutes", registration_id AS "registrationId",
                  payload, min(due_at) AS "dueAt",
                  json_agg(json_build_object('id', id, 'channel', channel) ORDER BY channel) AS deliveries
             FROM claimed
            GROUP BY recipient, kind, item_id, item_version, offset_minutes, ref, user_id, webhook_id, speaker_id,
                     registration_id, payload)
         SELECT n.*, coalesce(u.email, sa.email) AS email, coalesce(u.display_name, sa.name) AS "displayName",
                coalesce(u.locale, sa.locale) AS locale,
                coalesce(u.notification_preferences, '{}') AS "notificationPreferences", r.status AS "registrationStatus",
                r.check_in_code AS "checkInCode", r.waitlist_position AS "waitlistPosition",
                CASE WHEN n.payload ? 'previous' THEN (SELECT space_name FROM space_places
                   WHERE space_id::text = n.payload -> 'previous' ->> 'spaceId') END AS "previousSpaceName"
           FROM notices n LEFT JOIN person_facts u ON u.id = n."userId"
           LEFT JOIN speaker_audience sa ON sa.speaker_id = n."speakerId" AND sa.item_id = n."itemId"
           LEFT JOIN registration_audience r ON r.registration_id = n."registrationId"`,
      [ids, leaseMs],
    );
    if (rows.length === 0) return [];
    // Read after the claim, so a send re-checks the item as it is now; a batch almost always shares one item.
    const items: ItemFacts[] = await this.db.query(`${ITEM_FACTS} AND i.id = ANY($1::uuid[])`, [
      [...new Set(rows.map((r) => r.itemId))],
    ]);
    const itemsById = new Map(items.map((i) => [i.id, i]));
    return rows.map(
      ({
        email,
        displayName,
        locale,
        notificationPreferences,
        registrationStatus,
        waitlistPosition,
        checkInCode,
        ...notice
      }) => ({
        notice: { ...notice, deliveries: withCarriedNotice(notice) },
        item: itemsById.get(notice.itemId) ?? null,
        // A speaker is addressed like a person: by the address, name and language the speaker_audience view gives.
        user:
          (notice.userId ?? notice.speakerId) !== null && email !== null
            ? {
                id: (notice.userId ?? notice.speakerId) as string,
                email,
                displayName,
                locale,
                notificationPreferences,
              }
            : null,
        registration:
          registrationStatus !== null ? { status: registrationStatus, waitlistPosition, checkInCode } : null,
      }),
    );
  }

  /**
   * Records how each claimed delivery ended, in one statement; rows no longer 'sending' are left alone. The
   * outcomes travel as one JSON document: serialising it is native work, unlike escaping five text arrays.
   * Subjects and in-app texts travel once each: a batch of one reminder holds a few distinct ones (one per
   * language), and the rows point at them.
   * A carried in-app notice that was sent (or failed for good) is written in the same statement, under its letter's
   * key, while the letter's row is still this send's: a crash before it leaves the letter to be claimed again, and
   * the unique key keeps the notice to one row. One that was skipped says nothing its letter's row does not.
   * A change notice sent while the item is still at its version marks its registrant (or speaker) told of that place.
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
    const rows = results
      .filter((r) => !r.carried || r.outcome === 'sent' || r.outcome === 'failed')
      .map(({ id, carried, outcome, subject, body, error }) => ({
        id,
        carried: carried ?? false,
        outcome,
        subject: indexOf(subject),
        body: indexOf(body),
        error: error ?? null,
      }));
    const finish = (db: DataSource | EntityManager) =>
      db.query<
        {
          registration_id: string | null;
          speaker_id: string | null;
          item_id: string;
          item_version: number;
          told: ToldChange;
        }[]
      >(
        `WITH r AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb)
             AS r(id uuid, carried boolean, outcome text, subject int, body int, error text)),
         finished AS (
           UPDATE deliveries d SET status = r.outcome, subject = coalesce($2::jsonb ->> r.subject, d.subject),
                  body = coalesce($2::jsonb ->> r.body, d.body),
                  last_error = r.error, lease_until = NULL, updated_at = now(),
                  sent_at = CASE WHEN r.outcome = 'sent' THEN now() ELSE d.sent_at END
             FROM r
            WHERE d.id = r.id AND NOT r.carried AND d.status = 'sending'
            RETURNING d.kind, d.status, d.item_id, d.item_version, d.registration_id, d.speaker_id,
                      d.payload -> 'told' AS told),
         carried AS (
           INSERT INTO deliveries (recipient, user_id, channel, kind, item_id, item_version, offset_minutes, ref,
                                   registration_id, payload, due_at, send_at, status, subject, body, last_error,
                                   attempts, sent_at)
           SELECT l.recipient, l.user_id, 'in_app', l.kind, l.item_id, l.item_version, l.offset_minutes, l.ref,
                  l.registration_id, l.payload, l.due_at, l.send_at, r.outcome, $2::jsonb ->> r.subject,
                  $2::jsonb ->> r.body, r.error, l.attempts,
                  CASE WHEN r.outcome = 'sent' THEN now() END
             FROM r JOIN deliveries l ON l.id = r.id
            WHERE r.carried AND l.status = 'sending' AND l.user_id IS NOT NULL
           ON CONFLICT DO NOTHING
           RETURNING kind, status, item_id, item_version, registration_id, speaker_id, payload -> 'told' AS told)
         SELECT registration_id, speaker_id, item_id, item_version, told FROM finished
          WHERE kind = 'item_rescheduled' AND status = 'sent' AND told IS NOT NULL
         UNION ALL
         SELECT registration_id, speaker_id, item_id, item_version, told FROM carried
          WHERE kind = 'item_rescheduled' AND status = 'sent' AND told IS NOT NULL`,
        [JSON.stringify(rows), JSON.stringify(texts)],
      );
    if (!results.some((r) => r.outcome === 'sent' && (r.kind ?? 'item_rescheduled') === 'item_rescheduled')) {
      await finish(this.db);
      return;
    }
    // A change notice sent marks its registrant told, in the same transaction (the registrations lib's write), and
    // its speaker (the programmes lib's).
    await this.db.transaction(async (tx) => {
      const told = await finish(tx);
      const place = (t: (typeof told)[number]) => ({
        itemId: t.item_id,
        itemVersion: t.item_version,
        ...t.told,
      });
      await recordToldPlaces(
        tx,
        told.flatMap((t) => (t.registration_id ? [{ registrationId: t.registration_id, ...place(t) }] : [])),
      );
      await recordSpeakersTold(
        tx,
        told.flatMap((t) => (t.speaker_id ? [{ speakerId: t.speaker_id, ...place(t) }] : [])),
      );
    });
  }
}

/** A person's message claimed by its e-mail row alone carries its in-app notice (notice-channels.ts). */
function withCarriedNotice(notice: {
  userId: string | null;
  deliveries: ClaimedDelivery[];
}): ClaimedDelivery[] {
  const letter = notice.deliveries.find((d) => d.channel === 'email');
  if (notice.userId === null || !letter || notice.deliveries.some((d) => d.channel === 'in_app'))
    return notice.deliveries;
  return [...notice.deliveries, { id: letter.id, channel: 'in_app', carried: true }];
}
