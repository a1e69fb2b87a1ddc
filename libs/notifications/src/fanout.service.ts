import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@pavilion/config';
import { JobQueues } from './job-queues';
import { MeetingFanout, meetingWebhookMessages } from './meeting-fanout';
import { isMeetingKind } from './meeting-templates';
import { AudienceRepository, ReminderRecipient } from './audience.repository';
import { DeliveryLedgerRepository, NewDelivery } from './delivery-ledger.repository';
import { Channel, ItemFacts, UserFacts } from './notice-facts';
import { jobIds, NotificationJobs, OutboxJob } from './queues';

const PAGE = 1000;
const SWEEP_LOOKBACK_MS = 6 * 3600 * 1000;
/** Fan-outs start this much before the due time; their send jobs wait for the due time itself. */
const FANOUT_LEAD_MS = 3000;
/** How early a delayed job may fire on a host whose clock runs ahead of the one that queued it. */
const FANOUT_CLOCK_SLACK_MS = 1000;

/** The channels a person hears on: always in the app, and by email unless they turned it off. */
function channels(emailOk: boolean): Channel[] {
  return emailOk ? ['in_app', 'email'] : ['in_app'];
}

export function personalChannels(user: Pick<UserFacts, 'notification_preferences'>): Channel[] {
  return channels(user.notification_preferences.email !== false);
}

/** Turns events into delivery rows (the ledger) and their send jobs. */
@Injectable()
export class FanoutService {
  private readonly logger = new Logger(FanoutService.name);

  constructor(
    private readonly audience: AudienceRepository,
    private readonly ledger: DeliveryLedgerRepository,
    private readonly queues: JobQueues,
    private readonly config: AppConfig,
    private readonly meetings: MeetingFanout,
  ) {}

  async outboxEvent(event: OutboxJob): Promise<void> {
    const item = await this.audience.itemFacts(event.itemId);
    if (!item) return;
    const version = event.itemVersion ?? item.version;
    const rows: NewDelivery[] = [];
    const meetingKind = isMeetingKind(event.kind);
    if (meetingKind) rows.push(...(await this.meetings.notices(event, item)));

    if (event.userId && event.registrationId) {
      const user = await this.audience.userFacts(event.userId);
      if (user) {
        for (const channel of personalChannels(user)) {
          rows.push({
            userId: user.id,
            channel,
            kind: event.kind,
            itemId: item.id,
            itemVersion: version,
            registrationId: event.registrationId,
          });
        }
      }
      if (event.kind === 'registration_confirmed' || event.kind === 'waitlist_promoted')
        await this.scheduleReminders(item, event.userId);
    }
    if (event.kind === 'item_cancelled') {
      for (const registrant of await this.audience.cancelledWithItem(item.id)) {
        for (const channel of personalChannels(registrant)) {
          rows.push({
            userId: registrant.user_id,
            channel,
            kind: 'item_cancelled',
            itemId: item.id,
            itemVersion: version,
            registrationId: registrant.registration_id,
            payload: event.payload,
          });
        }
      }
      for (const offset of item.reminder_offsets)
        await this.queues.remove(jobIds.reminder(item.id, offset, version));
    }
    if (event.kind === 'item_rescheduled') {
      // Several edits within the window become one notice describing the net change (a waiting job absorbs the rest).
      await this.queues.add(
        'change-notice',
        { itemId: item.id },
        jobIds.change(item.id),
        this.config.changeNoticeWindowMs,
        true,
      );
      await this.scheduleReminders(item);
      const previous = (event.payload.previous ?? {}) as { version?: number };
      if (previous.version)
        for (const offset of item.reminder_offsets)
          await this.queues.remove(jobIds.reminder(item.id, offset, previous.version));
    }

    if (event.kind === 'item_displaced') {
      // The organizers, in the app (API.md); registrants hear only of the move. Each displacement is its own notice.
      for (const organizer of await this.audience.organizersOf(item.organization_id)) {
        rows.push({
          userId: organizer.user_id,
          channel: 'in_app',
          kind: 'item_displaced',
          itemId: item.id,
          itemVersion: version,
          ref: `outbox-${event.outboxId}`,
          payload: event.payload,
        });
      }
    }

    // A session's meeting events share item and version: each meeting of each event is its own webhook message;
    // so is each displacement of an item.
    const messages = meetingKind
      ? meetingWebhookMessages(event)
      : [
          {
            ref: event.kind === 'item_displaced' ? `outbox-${event.outboxId}` : undefined,
            payload: { ...event.payload, outboxId: event.outboxId },
          },
        ];
    for (const webhook of await this.audience.webhooksOf(item.organization_id)) {
      for (const { ref, payload } of messages)
        rows.push({
          webhookId: webhook.id,
          channel: 'webhook',
          kind: event.kind,
          itemId: item.id,
          itemVersion: version,
          registrationId: event.registrationId ?? undefined,
          ref,
          payload,
        });
    }
    await this.createAndSend(rows);
  }

  /** One delayed fan-out job per (item, offset, version) for the offsets registrants use; past ones are skipped. */
  async scheduleReminders(item: ItemFacts, userId?: string): Promise<void> {
    if (item.status === 'cancelled') return;
    const offsets = await this.audience.reminderOffsetsInUse(item.id, userId);
    for (const offsetMinutes of offsets) {
      const dueAt = new Date(item.starts_at.getTime() - offsetMinutes * 60_000);
      const delay = dueAt.getTime() - Date.now();
      if (delay <= 0) continue;
      await this.queues.add(
        'reminder-fanout',
        { itemId: item.id, offsetMinutes, itemVersion: item.version, dueAt: dueAt.toISOString() },
        jobIds.reminder(item.id, offsetMinutes, item.version),
        delay - FANOUT_LEAD_MS,
      );
      // The fan-out may have run, or be past this person, already: write their reminder now (the ledger keeps one).
      if (userId && delay <= FANOUT_LEAD_MS + FANOUT_CLOCK_SLACK_MS) {
        const [recipient] = await this.audience.reminderRecipients(
          item.id,
          offsetMinutes,
          dueAt,
          null,
          1,
          userId,
        );
        if (recipient) await this.writeReminders(item, offsetMinutes, dueAt, [recipient]);
      }
    }
  }

  /**
   * Writes the reminder deliveries of one (item, offset, version) page by page and queues their sends for the
   * due time. A fire for a cancelled or moved item does nothing; a repeated fire (crash, second worker) adds
   * nothing, as rows are unique and send jobs have fixed ids.
   */
  async reminderFanout(job: NotificationJobs['reminder-fanout']): Promise<'stale' | number> {
    const item = await this.audience.itemFacts(job.itemId);
    if (!item || item.status === 'cancelled' || item.version !== job.itemVersion) return 'stale';
    const dueAt = new Date(job.dueAt);
    let after: string | null = null;
    let recipients = 0;
    for (;;) {
      const page = await this.audience.reminderRecipients(item.id, job.offsetMinutes, dueAt, after, PAGE);
      if (page.length === 0) break;
      recipients += page.length;
      // Each page's sends are queued at once, so the first messages go while later pages are still written.
      await this.writeReminders(item, job.offsetMinutes, dueAt, page);
      after = page[page.length - 1].registration_id;
      if (page.length < PAGE) break;
    }
    // After a crash mid fan-out, rows written earlier may have no send job yet: queue any still pending.
    const pending = await this.ledger.pendingDeliveries({
      itemId: item.id,
      kind: 'reminder',
      offsetMinutes: job.offsetMinutes,
      version: item.version,
    });
    await this.queues.deliver(pending);
    await this.audience.markFanoutDone(item.id, job.offsetMinutes, item.version);
    return recipients;
  }

  /** The coalesced change notice: tells each registrant the net change since what they were last told. */
  async changeNotice(itemId: string): Promise<number> {
    const item = await this.audience.itemFacts(itemId);
    if (!item || item.status === 'cancelled') return 0;
    const ids = await this.audience.tellChange(item, personalChannels);
    await this.queues.deliver(ids.map((id) => ({ id })));
    return ids.length;
  }

  /**
   * The backstop, run by a job scheduler: due fan-outs that never ran (a lost delayed job, Redis emptied),
   * deliveries whose send job is gone, unrelayed change notices. Everything it adds has a fixed job id.
   */
  async sweep(): Promise<void> {
    const due = await this.audience.dueFanouts(SWEEP_LOOKBACK_MS);
    await this.queues.addBulk(
      'reminder-fanout',
      due.map((f) => ({
        jobId: jobIds.reminder(f.item_id, f.offset_minutes, f.item_version),
        data: {
          itemId: f.item_id,
          offsetMinutes: f.offset_minutes,
          itemVersion: f.item_version,
          dueAt: f.due_at.toISOString(),
        },
      })),
    );
    const stale = await this.ledger.pendingDeliveries({
      olderThan: new Date(Date.now() - this.config.reminderSweepMs),
    });
    await this.queues.deliver(stale, 0, Math.floor(Date.now() / this.config.reminderSweepMs));
    const quiet = new Date(Date.now() - this.config.changeNoticeWindowMs - this.config.reminderSweepMs);
    for (const itemId of await this.audience.itemsWithUntoldChanges(quiet)) {
      await this.queues.add('change-notice', { itemId }, jobIds.change(itemId), 0, true);
    }
    if (due.length + stale.length > 0)
      this.logger.log(`Backstop re-enqueued ${due.length} fan-outs and ${stale.length} deliveries`);
  }

  /** Reminder rows for these recipients (in the app, and by email unless turned off), sent at the due time. */
  private async writeReminders(
    item: ItemFacts,
    offsetMinutes: number,
    dueAt: Date,
    recipients: ReminderRecipient[],
  ): Promise<void> {
    const created = await this.ledger.createDeliveries(
      recipients.flatMap((r) =>
        channels(r.email_ok).map((channel) => ({
          userId: r.user_id,
          channel,
          kind: 'reminder' as const,
          itemId: item.id,
          itemVersion: item.version,
          offsetMinutes,
          registrationId: r.registration_id,
          dueAt,
        })),
      ),
    );
    await this.queues.deliver(created.map((id) => ({ id, due_at: dueAt })));
  }

  private async createAndSend(rows: NewDelivery[]): Promise<void> {
    const ids = await this.ledger.createDeliveries(rows);
    await this.queues.deliver(ids.map((id) => ({ id })));
  }
}
