import { Injectable } from '@nestjs/common';
import { AudienceRepository, ReminderRecipient } from './audience.repository';
import { DeliveryLedgerRepository } from './delivery-ledger.repository';
import { JobQueues, jobIds, NotificationJobs } from './job-contracts';
import { channelsFor } from './notice-channels';
import { ItemFacts } from './notice-facts';

const PAGE = 1000;
/** Fan-outs start this much before the due time; their send jobs wait for the due time itself. */
const FANOUT_LEAD_MS = 3000;
/** How early a delayed job may fire on a host whose clock runs ahead of the one that queued it. */
const FANOUT_CLOCK_SLACK_MS = 1000;

/**
 * The `reminder-fanout` job: one per (item, offset, item version), scheduled when someone takes a seat or the
 * item moves, and fired just before the reminder is due.
 */
@Injectable()
export class ReminderFanoutHandler {
  constructor(
    private readonly audience: AudienceRepository,
    private readonly ledger: DeliveryLedgerRepository,
    private readonly queues: JobQueues,
  ) {}

  /** One delayed fan-out job per (item, offset, version) for the offsets registrants use; past ones are skipped. */
  async schedule(item: ItemFacts, userId?: string): Promise<void> {
    if (item.status === 'cancelled') return;
    const offsets = await this.audience.reminderOffsetsInUse(item.id, userId);
    for (const offsetMinutes of offsets) {
      const dueAt = new Date(item.startsAt.getTime() - offsetMinutes * 60_000);
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
   * due time. A fire for a cancelled or moved item, or one of an unpublished programme, does nothing; a repeated
   * fire (crash, second worker) adds nothing, as rows are unique and send jobs have fixed ids.
   */
  async handle(job: NotificationJobs['reminder-fanout']): Promise<'stale' | number> {
    const item = await this.audience.itemFacts(job.itemId);
    if (
      !item ||
      item.status === 'cancelled' ||
      item.version !== job.itemVersion ||
      item.programmeStatus !== 'published'
    )
      return 'stale';
    const dueAt = new Date(job.dueAt);
    let after: string | null = null;
    let recipients = 0;
    for (;;) {
      const page = await this.audience.reminderRecipients(item.id, job.offsetMinutes, dueAt, after, PAGE);
      if (page.length === 0) break;
      recipients += page.length;
      // Each page's sends are queued at once, so the first messages go while later pages are still written.
      await this.writeReminders(item, job.offsetMinutes, dueAt, page);
      after = page[page.length - 1].registrationId;
      if (page.length < PAGE) break;
    }
    // After a crash mid fan-out, rows written earlier may have no send job yet: queue any still pending.
    const pending = await this.ledger.pendingDeliveries({
      itemId: item.id,
      kind: 'reminder',
      offsetMinutes: job.offsetMinutes,
      version: item.version,
    });
    await this.queues.queueSends(pending);
    await this.audience.markFanoutDone(item.id, job.offsetMinutes, item.version);
    return recipients;
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
        channelsFor(r.emailOk).map((channel) => ({
          userId: r.userId,
          channel,
          kind: 'reminder' as const,
          itemId: item.id,
          itemVersion: item.version,
          offsetMinutes,
          registrationId: r.registrationId,
          dueAt,
        })),
      ),
    );
    await this.queues.queueSends(created.map((id) => ({ id, dueAt })));
  }
}
