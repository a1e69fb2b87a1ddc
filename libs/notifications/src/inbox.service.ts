import { Injectable } from '@nestjs/common';
import { decodeKeyset, Page, toPage } from '@pavilion/core';
import { NotificationDto } from './dto/notifications.dto';
import { InboxWebhooksDeskRepository } from './inbox-webhooks-desk.repository';

/** An attendee's in-app list: what was sent to them, newest first. */
@Injectable()
export class InboxService {
  constructor(private readonly repository: InboxWebhooksDeskRepository) {}

  async inbox(userId: string, limit: number, cursor?: string): Promise<Page<NotificationDto>> {
    const rows = await this.repository.inbox(userId, limit + 1, decodeKeyset(cursor, 'createdUs'));
    return toPage(
      rows,
      limit,
      (r) => [r.createdUs, r.id],
      (r) => ({
        id: r.id,
        kind: r.kind,
        itemId: r.itemId,
        title: r.subject,
        body: r.body,
        createdAt: r.createdAt.toISOString(),
        channels: r.channels ?? ['in_app'],
      }),
    );
  }
}
