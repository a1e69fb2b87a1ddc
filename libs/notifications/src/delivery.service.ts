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
  DeliveryResult,
  DeliveryRow,
  ItemFacts,
  NotificationsRepository,
  UserFacts,
} from './notifications.repository';
import { NotificationContext, NotificationKind, renderNotification } from './templates';

// Long enough for a whole batch through a slow mail server; an expired lease lets another worker take the row.
const LEASE_MS = 120_000;

export interface BatchOutcome {
  claimed: number;
  sent: number;
  skipped: number;
  failed: number;
  retrying: number;
}

/** Some deliveries of a batch failed in a way a retry may fix; the job is retried for those alone. */
export class RetryableDeliveryError extends Error {}

/**
 * Sends a batch of deliveries: claims their rows with a lease in one statement (rows not returned are another
 * worker's or done), re-checks that each message still holds, renders it in the recipient's language, sends
 * them side by side and records every outcome in one statement. Batches keep a large fan-out from paying one
 * queue job and several database round trips per message.
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

  async deliver(deliveryIds: string[], finalAttempt: boolean): Promise<BatchOutcome> {
    const claimed = await this.repository.claimDeliveries(deliveryIds, LEASE_MS);
    const results = await Promise.all(claimed.map((c) => this.attempt(c, finalAttempt)));
    await this.repository.finishDeliveries(results);
    const count = (outcome: DeliveryResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
    claimed.forEach(({ delivery }, i) => {
      const status = results[i].outcome;
      if (status !== 'pending')
        this.metrics.deliveries.inc({ kind: delivery.kind, channel: delivery.channel, status });
    });
    const outcome = {
      claimed: claimed.length,
      sent: count('sent'),
      skipped: count('skipped'),
      failed: count('failed'),
      retrying: count('pending'),
    };
    if (outcome.retrying > 0) {
      const first = results.find((r) => r.outcome === 'pending');
      throw new RetryableDeliveryError(
        `${outcome.retrying} of ${claimed.length} deliveries will be retried: ${first?.error}`,
      );
    }
    return outcome;
  }

  private async attempt(
    { delivery, item, user, registration }: ClaimedDelivery,
    finalAttempt: boolean,
  ): Promise<DeliveryResult> {
    const done = (
      outcome: DeliveryResult['outcome'],
      fields: Omit<DeliveryResult, 'id' | 'outcome'> = {},
    ): DeliveryResult => ({
      id: delivery.id,
      outcome,
      ...fields,
    });
    try {
      if (!item) return done('skipped', { error: 'item is gone' });
      if (delivery.channel === 'webhook') {
        const target = await this.repository.webhook(delivery.webhook_id as string);
        if (!target) return done('skipped', { error: 'webhook deleted' });
        await this.webhooks.send(target, delivery.id, {
          type: delivery.kind,
          data: this.webhookData(delivery, item),
        });
        return done('sent');
      }
      const stale = user ? this.staleReason(delivery, item, user, registration) : 'recipient is gone';
      if (stale || !user) return done('skipped', { error: stale ?? undefined });
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
      return done('sent', { subject: rendered.subject, body: rendered.text });
    } catch (error) {
      const permanent = error instanceof PermanentDeliveryError;
      return done(permanent || finalAttempt ? 'failed' : 'pending', { error: (error as Error).message });
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
}
