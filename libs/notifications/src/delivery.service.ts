import { Injectable } from '@nestjs/common';
import { AppConfig } from '@pavilion/config';
import { reminderUnsubscribeToken } from '@pavilion/auth';
import { PermanentDeliveryError } from './channels/errors';
import { EmailChannel } from './channels/email.channel';
import { WebhookChannel } from './channels/webhook.channel';
import { MeetingNoticesRepository } from './meeting-notices.repository';
import {
  counterpartOf,
  MeetingNoticeFacts,
  meetingNoticeContext,
  meetingStaleReason,
} from './meeting-notices';
import { itemNoticeText, itemStaleReason, webhookData } from './item-notices';
import { checkInAttachments, checkInCode, itemCalendar, meetingCalendar } from './letters';
import { renderMeetingNotice } from './meeting-templates';
import { PavilionMetrics } from './metrics';
import { ClaimedNotice, DeliveryLedgerRepository, DeliveryResult } from './delivery-ledger.repository';
import { Channel, ItemFacts, UserFacts } from './notice-facts';
import { isMeetingKind, NoticeKind } from './notice-kinds';
import { NoticeText, renderLetter } from './templates';

// Long enough for a whole batch through a slow mail server; an expired lease lets another worker take the row.

export interface BatchOutcome {
  claimed: number;
  sent: number;
  skipped: number;
  failed: number;
  retrying: number;
}

/** Kinds whose emails carry the link that turns reminders off. */
const REMINDERS = new Set<string>(['reminder', 'meeting_reminder']);
const NO_FACTS: MeetingNoticeFacts = { meeting: null, request: null };
/** A delivery's outcome, with what the metrics count it by. */
type Attempted = DeliveryResult & { channel: Channel; kind: NoticeKind };

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
    private readonly ledger: DeliveryLedgerRepository,
    private readonly meetings: MeetingNoticesRepository,
    private readonly email: EmailChannel,
    private readonly webhooks: WebhookChannel,
    private readonly metrics: PavilionMetrics,
    private readonly config: AppConfig,
  ) {}

  async sendBatch(deliveryIds: string[], finalAttempt: boolean): Promise<BatchOutcome> {
    const notices = await this.ledger.claimDeliveries(deliveryIds, this.config.deliveryLeaseMs);
    const facts = await this.meetingFacts(notices);
    // A batch of one reminder says the same thing to everyone in a language: render each distinct notice once.
    const texts = new Map<string, NoticeText>();
    // People's notices are recorded before the batch's webhooks are sent: a receiver that hangs until the
    // timeout must not hold back the in-app list or the email ledger.
    const results: Attempted[] = [];
    for (const group of [
      notices.filter((n) => !n.notice.webhookId),
      notices.filter((n) => n.notice.webhookId),
    ]) {
      if (group.length === 0) continue;
      const done = (
        await Promise.all(group.map((n) => this.attempt(n, texts, finalAttempt, facts(n))))
      ).flat();
      await this.ledger.finishDeliveries(done);
      results.push(...done);
    }
    this.countOutcomes(results);
    const count = (outcome: DeliveryResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
    const outcome = {
      claimed: results.length,
      sent: count('sent'),
      skipped: count('skipped'),
      failed: count('failed'),
      retrying: count('pending'),
    };
    if (outcome.retrying > 0) {
      const first = results.find((r) => r.outcome === 'pending');
      throw new RetryableDeliveryError(
        `${outcome.retrying} of ${results.length} deliveries will be retried: ${first?.error}`,
      );
    }
    return outcome;
  }

  /** The meetings and requests the batch's meeting notices are about, read once for the batch. */
  private async meetingFacts(notices: ClaimedNotice[]): Promise<(n: ClaimedNotice) => MeetingNoticeFacts> {
    const about = notices.filter((n) => isMeetingKind(n.notice.kind)).map((n) => n.notice.payload);
    const ids = (key: string) =>
      about.map((p) => p[key]).filter((id): id is string => typeof id === 'string');
    if (about.length === 0) return () => NO_FACTS;
    const [meetings, requests] = await Promise.all([
      this.meetings.meetings(ids('meetingId')),
      this.meetings.requests(ids('requestId')),
    ]);
    return ({ notice: { payload } }) => ({
      meeting: meetings.get(payload.meetingId as string) ?? null,
      request: requests.get(payload.requestId as string) ?? null,
    });
  }

  /** One counter update per (kind, channel, status) of the batch rather than one per delivery. */
  private countOutcomes(results: Attempted[]): void {
    const counts = new Map<string, { labels: Record<string, string>; n: number }>();
    for (const { kind, channel, outcome } of results) {
      if (outcome === 'pending') continue;
      const key = `${kind}|${channel}|${outcome}`;
      const entry = counts.get(key) ?? { labels: { kind, channel, status: outcome }, n: 0 };
      entry.n += 1;
      counts.set(key, entry);
    }
    for (const { labels, n } of counts.values()) this.metrics.deliveries.inc(labels, n);
  }

  /** Checks, renders and sends one notice on each of its claimed channels; one result per delivery. */
  private async attempt(
    { notice, item, user, registration }: ClaimedNotice,
    texts: Map<string, NoticeText>,
    finalAttempt: boolean,
    facts: MeetingNoticeFacts,
  ): Promise<Attempted[]> {
    const results: Attempted[] = notice.deliveries.map(({ id, channel, carried }) => ({
      id,
      channel,
      carried,
      kind: notice.kind,
      outcome: 'skipped',
    }));
    const failed = (r: Attempted, error: unknown) => {
      const permanent = error instanceof PermanentDeliveryError;
      r.outcome = permanent || finalAttempt ? 'failed' : 'pending';
      r.error = (error as Error).message;
    };
    const stale = !item ? 'item is gone' : !user && !notice.webhookId ? 'recipient is gone' : null;
    if (stale || !item) return results.map((r) => ({ ...r, error: stale ?? undefined }));

    if (notice.webhookId) {
      await Promise.all(
        results.map(async (r) => {
          try {
            const target = await this.ledger.webhook(notice.webhookId as string);
            if (!target) return void (r.error = 'webhook deleted');
            await this.webhooks.send(target, r.id, {
              type: notice.kind,
              data: webhookData(notice, item),
            });
            r.outcome = 'sent';
          } catch (error) {
            failed(r, error);
          }
        }),
      );
      return results;
    }

    const recipient = user as UserFacts;
    const kind = notice.kind;
    const live = results.filter((r) => {
      r.error =
        (isMeetingKind(kind)
          ? meetingStaleReason(r.channel, { ...notice, kind }, item, recipient, facts)
          : itemStaleReason(kind, r.channel, notice, item, recipient, registration)) ?? undefined;
      return r.error === undefined;
    });
    if (live.length === 0) return results;
    let text: NoticeText;
    try {
      text = isMeetingKind(kind)
        ? renderMeetingNotice(meetingNoticeContext({ ...notice, kind }, item, recipient, facts))
        : itemNoticeText(texts, kind, notice, item, recipient.locale, registration);
    } catch (error) {
      live.forEach((r) => failed(r, error));
      return results;
    }
    for (const r of live) {
      try {
        if (r.channel === 'email') {
          await this.email.send(() => {
            const unsubscribeUrl = REMINDERS.has(notice.kind) ? this.unsubscribeUrl(recipient.id) : undefined;
            const code = checkInCode(notice.kind, registration);
            return {
              id: r.id,
              to: recipient.email,
              subject: text.subject,
              text: renderLetter(text, notice.kind, recipient.locale, {
                recipientName: recipient.displayName,
                unsubscribeUrl,
                checkInCode: code,
              }),
              calendar: this.calendarOf(notice, item, registration, recipient, facts),
              attachments: checkInAttachments(code),
              unsubscribeUrl,
            };
          });
        }
        if (REMINDERS.has(notice.kind))
          this.metrics.reminderLateness.observe(Math.max(0, (Date.now() - notice.dueAt.getTime()) / 1000));
        r.outcome = 'sent';
        r.subject = text.subject;
        // The in-app list shows the text; for the other channels the subject says enough in the ledger.
        if (r.channel === 'in_app') r.body = text.inApp;
      } catch (error) {
        failed(r, error);
      }
    }
    return results;
  }

  /** The letter's iTIP message: about the meeting for a meeting notice, else about the item. */
  private calendarOf(
    notice: ClaimedNotice['notice'],
    item: ItemFacts,
    registration: ClaimedNotice['registration'],
    recipient: UserFacts,
    facts: MeetingNoticeFacts,
  ) {
    if (isMeetingKind(notice.kind))
      return facts.meeting
        ? meetingCalendar(
            notice.kind,
            item,
            facts.meeting,
            counterpartOf(facts.meeting, recipient.id),
            recipient,
            this.config.mailFrom,
          )
        : undefined;
    return itemCalendar(
      notice.kind,
      item,
      registration,
      recipient,
      this.config.mailFrom,
      notice.speakerId !== null,
    );
  }

  private unsubscribeUrl(userId: string): string {
    return `${this.config.publicUrl}/api/notifications/unsubscribe?token=${reminderUnsubscribeToken(userId, this.config.jwtSecret)}`;
  }
}
