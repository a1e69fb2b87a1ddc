import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { returnedRows } from '@pavilion/database';
import { DeliveryStatus } from './delivery-ledger.repository';
import { Channel } from './notice-facts';
import { NoticeKind } from './notice-kinds';

/** A delivery as the failed-delivery desk lists it. */
export interface DeskDelivery {
  id: string;
  kind: NoticeKind;
  channel: Channel;
  itemId: string;
  itemVersion: number;
  userId: string | null;
  webhookId: string | null;
  speakerId: string | null;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  /** createdAt in microseconds since the epoch, exact, for keyset cursors. */
  createdUs: string;
}

/**
 * What the API reads and changes around notifications: a person's in-app list (inbox), an organization's
 * webhooks, and the failed-delivery desk (list by status, requeue).
 */
@Injectable()
export class InboxWebhooksDeskRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The in-app list: what was sent to the person, newest first, with the channels each notice went through. */
  inbox(userId: string, limit: number, before?: { createdUs: string; id: string }) {
    return this.db.query<
      {
        id: string;
        kind: NoticeKind;
        itemId: string;
        subject: string;
        body: string;
        createdAt: Date;
        createdUs: string;
        channels: Channel[] | null;
      }[]
    >(
      `SELECT d.id, d.kind, d.item_id AS "itemId", d.subject, d.body, d.created_at AS "createdAt",
              (extract(epoch FROM d.created_at) * 1000000)::bigint::text AS "createdUs",
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
    status: DeliveryStatus,
    limit: number,
    after?: { createdUs: string; id: string },
  ): Promise<DeskDelivery[]> {
    return this.db.query(
      `SELECT d.id, d.kind, d.channel, d.item_id AS "itemId", d.item_version AS "itemVersion", d.user_id AS "userId",
              d.webhook_id AS "webhookId", d.speaker_id AS "speakerId", d.status, d.attempts, d.last_error AS "lastError",
              d.created_at AS "createdAt", (extract(epoch FROM d.created_at) * 1000000)::bigint::text AS "createdUs"
         FROM deliveries d
        WHERE d.status = $1
          AND ($2::bigint IS NULL OR (d.created_at, d.id) > ('epoch'::timestamptz + $2::bigint * interval '1 microsecond', $3::uuid))
        ORDER BY d.created_at, d.id LIMIT $4`,
      [status, after?.createdUs ?? null, after?.id ?? null, limit],
    );
  }

  /** Puts a failed delivery back in line; returns its attempts so far, or null when it is not failed. */
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
    return this.db.query<{ id: string; url: string; createdAt: Date }[]>(
      'INSERT INTO webhooks (organization_id, url, secret) VALUES ($1, $2, $3) RETURNING id, url, created_at AS "createdAt"',
      [organizationId, url, secret],
    );
  }

  listWebhooks(organizationId: string) {
    return this.db.query<{ id: string; url: string; createdAt: Date }[]>(
      'SELECT id, url, created_at AS "createdAt" FROM webhooks WHERE organization_id = $1 ORDER BY created_at',
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
}
