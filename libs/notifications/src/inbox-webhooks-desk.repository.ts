import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { returnedRows } from '@pavilion/database';
import { DeliveryRow } from './delivery-ledger.repository';
import { Channel } from './notice-facts';

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
}
