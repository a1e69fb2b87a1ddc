import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { decodeKeyset, DomainError, ErrorCode, Page, toPage } from '@pavilion/core';
import {
  DeliveriesQueryDto,
  DeliveryDto,
  NotificationDto,
  WebhookResponseDto,
} from './dto/notifications.dto';
import { AppConfig } from '@pavilion/config';
import { checkWebhookTarget, WebhookTargetError } from './channels/webhook-target';
import { JobQueues } from './job-queues';
import { InboxWebhooksDeskRepository } from './inbox-webhooks-desk.repository';

/** What the API offers around notifications: the in-app list, organization webhooks, the failed-delivery desk. */
@Injectable()
export class NotificationsAdminService {
  constructor(
    private readonly repository: InboxWebhooksDeskRepository,
    private readonly queues: JobQueues,
    private readonly config: AppConfig,
  ) {}

  async inbox(userId: string, limit: number, cursor?: string): Promise<Page<NotificationDto>> {
    const rows = await this.repository.inbox(userId, limit + 1, decodeKeyset(cursor, 'createdUs'));
    return toPage(
      rows,
      limit,
      (r) => [r.created_us, r.id],
      (r) => ({
        id: r.id,
        kind: r.kind,
        itemId: r.item_id,
        title: r.subject,
        body: r.body,
        createdAt: r.created_at.toISOString(),
        channels: r.channels ?? ['in_app'],
      }),
    );
  }

  /** The URL must reach a public address (or one WEBHOOK_ALLOW_HOSTS names); delivery checks it again. */
  async createWebhook(organizationId: string, url: string): Promise<WebhookResponseDto> {
    try {
      await checkWebhookTarget(url, this.config.webhookAllowHosts);
    } catch (error) {
      if (error instanceof WebhookTargetError) throw DomainError.invalid('url', error.message);
      throw error;
    }
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const [row] = await this.repository.createWebhook(organizationId, url, secret);
    return { id: row.id, url: row.url, createdAt: row.created_at.toISOString(), secret };
  }

  async listWebhooks(organizationId: string): Promise<Page<WebhookResponseDto>> {
    const rows = await this.repository.listWebhooks(organizationId);
    return {
      items: rows.map((r) => ({ id: r.id, url: r.url, createdAt: r.created_at.toISOString() })),
      nextCursor: null,
    };
  }

  async deleteWebhook(organizationId: string, id: string): Promise<void> {
    if (!(await this.repository.deleteWebhook(organizationId, id))) throw DomainError.notFound('Webhook');
  }

  async deliveries(query: DeliveriesQueryDto): Promise<Page<DeliveryDto>> {
    const rows = await this.repository.deliveriesByStatus(
      query.status,
      query.limit + 1,
      decodeKeyset(query.cursor, 'createdUs'),
    );
    return toPage(
      rows,
      query.limit,
      (r) => [r.created_us, r.id],
      (r) => ({
        id: r.id,
        kind: r.kind,
        channel: r.channel,
        itemId: r.item_id,
        itemVersion: r.item_version,
        userId: r.user_id,
        webhookId: r.webhook_id,
        status: r.status,
        attempts: r.attempts,
        lastError: r.last_error,
        createdAt: r.created_at.toISOString(),
      }),
    );
  }

  /** Puts a failed delivery back in line with a fresh send job; the ledger still keeps it to one send. */
  async retry(id: string): Promise<void> {
    const attempts = await this.repository.requeueFailed(id);
    if (attempts === null) {
      if (!(await this.repository.deliveryExists(id))) throw DomainError.notFound('Delivery');
      throw new DomainError(ErrorCode.StateConflict, 'Only failed deliveries can be retried');
    }
    await this.queues.deliver([{ id }], attempts);
  }
}
