import { Injectable } from '@nestjs/common';
import ical from 'ical-generator';
import { AppConfig } from '@pavilion/config';
import { reminderUnsubscribeToken } from '@pavilion/auth';
import { PermanentDeliveryError } from './channels/errors';
import { EmailChannel } from './channels/email.channel';
import { WebhookChannel } from './channels/webhook.channel';
import { PavilionMetrics } from './metrics';
import {
  ClaimedDelivery,
  DeliveryRow,
  ItemFacts,
  NotificationsRepository,
  UserFacts,
} from './notifications.repository';
import { NotificationContext, NotificationKind, renderNotification } from './templates';

const LEASE_MS = 60_000;

export type DeliveryOutcome = 'sent' | 'skipped' | 'taken';

/**
 * Sends one delivery: claims its row with a lease (no row back: another worker has it or it is done),
 * re-checks that it still holds, renders it in the recipient's language, sends it and records the outcome.
 */
@Injectable()
export class DeliveryService {
  constructor(
    private readonly repository: NotificationsRepository,
    private readonly email: EmailChannel,
    private readonly webhooks: WebhookChannel,
    private readonly metrics: PavilionMetrics,
    private readonly config: AppConfig,
  ) {}

  async deliver(deliveryId: string, finalAttempt: boolean): Promise<DeliveryOutcome> {
    const claimed = await this.repository.claimDelivery(deliveryId, LEASE_MS);
    if (!claimed) return 'taken';
    const { delivery, item, user, registration } = claimed;
    try {
      if (!item) return await this.finish(delivery, 'skipped', { error: 'item is gone' });
      if (delivery.channel === 'webhook') {
        const target = await this.repository.webhook(delivery.webhook_id as string);
        if (!target) return await this.finish(delivery, 'skipped', { error: 'webhook deleted' });
        await this.webhooks.send(target, delivery.id, {
          type: delivery.kind,
          data: this.webhookData(delivery, item),
        });
        return await this.finish(delivery, 'sent');
      }

      const stale = user ? this.staleReason(delivery, item, user, registration) : 'recipient is gone';
      if (stale || !user) return await this.finish(delivery, 'skipped', { error: stale ?? undefined });
      const rendered = renderNotification(await this.context(delivery, item, user, registration));
      if (delivery.channel === 'email') {
        await this.email.send({
          id: delivery.id,
          to: user.email,
          subject: rendered.subject,
          text: rendered.text,
          ics: ['registration_confirmed', 'waitlist_promoted', 'item_rescheduled'].includes(delivery.kind)
            ? this.itemIcs(item)
            : undefined,
          unsubscribeUrl: delivery.kind === 'reminder' ? this.unsubscribeUrl(user.id) : undefined,
        });
      }
      if (delivery.kind === 'reminder')
        this.metrics.reminderLateness.observe(Math.max(0, (Date.now() - delivery.due_at.getTime()) / 1000));
      return await this.finish(delivery, 'sent', rendered);
    } catch (error) {
      const permanent = error instanceof PermanentDeliveryError;
      await this.repository.finishDelivery(delivery.id, permanent || finalAttempt ? 'failed' : 'pending', {
        error: (error as Error).message,
      });
      if (permanent || finalAttempt)
        this.metrics.deliveries.inc({ kind: delivery.kind, channel: delivery.channel, status: 'failed' });
      throw error;
    }
  }

  /** Why this message must not go out any more, or null. A reminder is never sent for a time that is no longer the item's. */
  private staleReason(
    d: DeliveryRow,
    item: ItemFacts,
    user: UserFacts,
    registration: ClaimedDelivery['registration'],
  ): string | null {
    const prefs = user.notification_preferences;
    if (d.channel === 'email' && prefs.email === false) return 'email turned off';
    if (d.kind === 'item_cancelled') return null;
    if (item.status === 'cancelled') return 'item cancelled';
    if ((d.kind === 'reminder' || d.kind === 'item_rescheduled') && item.version !== d.item_version)
      return 'item changed since';
    if (d.kind === 'reminder' && prefs.reminders === false) return 'reminders turned off';
    const expected: Record<string, string[]> = {
      reminder: ['confirmed'],
      registration_confirmed: ['confirmed'],
      waitlist_promoted: ['confirmed'],
      waitlisted: ['waitlisted'],
      registration_cancelled: ['cancelled'],
      item_rescheduled: ['confirmed', 'waitlisted'],
    };
    if (!registration || !expected[d.kind]?.includes(registration.status))
      return `registration is ${registration?.status ?? 'gone'}`;
    return null;
  }

  private async context(
    d: DeliveryRow,
    item: ItemFacts,
    user: UserFacts,
    registration: ClaimedDelivery['registration'],
  ): Promise<NotificationContext> {
    const previous = (d.payload.previous ?? null) as {
      startsAt: string;
      endsAt: string;
      spaceId: string;
    } | null;
    return {
      kind: d.kind as NotificationKind,
      locale: user.locale,
      recipientName: user.display_name,
      timezone: item.timezone,
      item: {
        title: item.title,
        venueName: item.venue_name,
        pavilionName: item.pavilion_name,
        startsAt: item.starts_at,
        endsAt: item.ends_at,
        spaceName: item.space_name,
      },
      previous: previous
        ? {
            startsAt: new Date(previous.startsAt),
            endsAt: new Date(previous.endsAt),
            spaceName: await this.repository.spaceName(previous.spaceId),
          }
        : undefined,
      waitlistPosition: registration?.waitlist_position ?? undefined,
      cancelReason: (d.payload.reason as string | undefined) ?? item.cancel_reason ?? undefined,
      offsetMinutes: d.kind === 'reminder' ? d.offset_minutes : undefined,
      unsubscribeUrl: d.kind === 'reminder' ? this.unsubscribeUrl(user.id) : undefined,
    };
  }

  private webhookData(d: DeliveryRow, item: ItemFacts) {
    return {
      itemId: item.id,
      title: item.title,
      status: item.status,
      version: d.item_version,
      startsAt: item.starts_at.toISOString(),
      endsAt: item.ends_at.toISOString(),
      spaceId: item.space_id,
      registrationId: d.registration_id,
      ...d.payload,
    };
  }

  private itemIcs(item: ItemFacts): string {
    const calendar = ical({ prodId: { company: 'Pavilion', product: 'Pavilion programme', language: 'EN' } });
    calendar.createEvent({
      id: `${item.id}@pavilion`,
      sequence: item.version,
      start: item.starts_at,
      end: item.ends_at,
      summary: item.title,
      location: `${item.space_name}, ${item.pavilion_name}, ${item.venue_name}`,
    });
    return calendar.toString();
  }

  private unsubscribeUrl(userId: string): string {
    return `${this.config.publicUrl}/api/notifications/unsubscribe?token=${reminderUnsubscribeToken(userId, this.config.jwtSecret)}`;
  }

  private async finish(
    d: DeliveryRow,
    outcome: 'sent' | 'skipped',
    fields: { subject?: string; text?: string; error?: string } = {},
  ): Promise<DeliveryOutcome> {
    await this.repository.finishDelivery(d.id, outcome, {
      subject: fields.subject,
      body: fields.text,
      error: fields.error,
    });
    this.metrics.deliveries.inc({ kind: d.kind, channel: d.channel, status: outcome });
    return outcome;
  }
}
