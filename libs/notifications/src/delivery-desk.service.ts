import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '@pavilion/config';
import { decodeKeyset, DomainError, ErrorCode, Page, toPage } from '@pavilion/core';
import { checkWebhookTarget, WebhookTargetError } from './channels/webhook-target';
import { DeliveriesQueryDto, DeliveryDto, WebhookResponseDto } from './dto/notifications.dto';
import { InboxWebhooksDeskRepository } from './inbox-webhooks-desk.repository';
import { JobQueues } from './job-contracts';

/** What organizers and admins run around deliveries: organization webhooks, the failed-delivery desk and its retry. */
@Injectable()
export class DeliveryDeskService {
  constructor(
    private readonly repository: InboxWebhooksDeskRepository,
    private readonly queues: JobQueues,
    private readonly config: AppConfig,
  ) {}

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
    return { id: row.id, url: row.url, createdAt: row.createdAt.toISOString(), secret };
  }

  async listWebhooks(organizationId: string): Promise<Page<WebhookResponseDto>> {
    const rows = await this.repository.listWebhooks(organizationId);
    return {
      items: rows.map((r) => ({ id: r.id, url: r.url, createdAt: r.createdAt.toISOString() })),
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
      (r) => [r.createdUs, r.id],
      ({ createdUs: _createdUs, createdAt, ...delivery }) => ({
        ...delivery,
        createdAt: createdAt.toISOString(),
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
    await this.queues.queueSends([{ id }], attempts);
  }
}
