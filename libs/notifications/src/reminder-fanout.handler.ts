import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@pavilion/config';
import { AudienceRepository, ReminderRecipient } from './audience.repository';
import { DeliveryLedgerRepository } from './delivery-ledger.repository';
import { JobQueues, jobIds, NotificationJobs } from './job-contracts';
import { ledgerChannelsFor } from './notice-channels';
import { ItemFacts } from './notice-facts';
import { earliestMs, fanoutLeadMs, ReminderCap, SendPacer, sendPlan } from './reminder-timing';

const PAGE = 1000;
/** How early a delayed job may fire on a host whose clock runs ahead of the one that queued it. */
const FANOUT_CLOCK_SLACK_MS = 1000;

/**
 * The `reminder-fanout` job: one per (item, offset, item version), scheduled when someone takes a seat or the
 * item moves, and fired just before the reminder is due; under SMTP_MAX_PER_SECOND early enough that its
 * letters, paced at the cap, are all out by the due time where the cap and the earliest bound allow
 * (reminder-timing.ts).
 */
@Injectable()
export class ReminderFanoutHandler {
  private readonly logger = new Logger(ReminderFanoutHandler.name);
  private readonly cap: ReminderCap;

  constructor(
    private readonly audience: AudienceRepository,
    private readonly ledger: DeliveryLedgerRepository,
    private readonly queues: JobQueues,
    config: AppConfig,
  ) {
    this.cap = { perSecond: config.smtpMaxPerSecond, maxEarlyMs: config.reminderMaxEarlyMs };
  }

  /**
   * One delayed fan-out job per (item, offset, version) for the offsets registrants use (those of `userIds` when
   * given: people who just took a seat); past ones are skipped. People who take a seat once their fan-out has
   * begun get their reminders written at once.
   */
  async schedule(item: ItemFacts, userIds?: string[]): Promise<void> {
    if (item.status === 'cancelled' || userIds?.length === 0) return;
    // With the item's seats, which bound the audience an early fan-out is planned for: one query per call (a
    // registration, or a relay group's seats in the item).
    const { offsets, seats } = await this.audience.reminderOffsetsInUse(item.id, userIds);
    if (offsets.length === 0) return;
    for (const offsetMinutes of offsets) {
      const dueAt = new Date(item.startsAt.getTime() - offsetMinutes * 60_000);
      const delay = dueAt.getTime() - Date.now();
      if (delay <= 0) continue;
      const runsAt = await this.queues.addNoLaterThan(
        'reminder-fanout',
        { itemId: item.id, offsetMinutes, itemVersion: item.version, dueAt: dueAt.toISOString() },
        jobIds.reminder(item.id, offsetMinutes, item.version),
        delay - fanoutLeadMs(offsetMinutes, seats, this.cap),
      );
      // The fan-out may have run, or be past these people, already: write their reminders now (the ledger keeps one).
      if (userIds && (runsAt === null || runsAt.getTime() <= Date.now() + FANOUT_CLOCK_SLACK_MS)) {
        // One live registration per person and item: a page of as many as there are people holds them all.
        const recipients = await this.audience.reminderRecipients(
          item.id,
          offsetMinutes,
          dueAt,
          null,
          userIds.length,
          userIds,
        );
        // Under the cap they go as soon as they may, so that they take a share of the cap the plan left unused.
        const sendAt = new Date(Math.max(Date.now(), dueAt.getTime() - earliestMs(offsetMinutes, this.cap)));
        if (recipients.length > 0) await this.writeReminders(item, offsetMinutes, dueAt, recipients, sendAt);
      }
    }
  }

  /**
   * Writes the reminder deliveries of one (item, offset, version) page by page and queues their sends: for the
   * due time, or under the cap paced so that the last leaves by it. A fire for a cancelled or moved item, or one
   * of an unpublished programme, does nothing; a repeated fire (crash, second worker) adds nothing, as rows are
   * unique and send jobs have fixed ids. Every send re-checks the item when it claims its rows, so a reminder
   * written early never goes out for a time the item no longer has.
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
    const pacer = await this.pacer(item, job.offsetMinutes, dueAt);
    // Rows written before this run (by an earlier run that crashed, or a registration just now) may have no send
    // job yet: queue them first, in the plan's first turns.
    const earlier = await this.ledger.pendingDeliveries({
      itemId: item.id,
      kind: 'reminder',
      offsetMinutes: job.offsetMinutes,
      version: item.version,
    });
    await this.queues.queueSends(pacer ? pacer.spread(earlier) : earlier);
    let after: string | null = null;
    let recipients = 0;
    for (;;) {
      const page = await this.audience.reminderRecipients(item.id, job.offsetMinutes, dueAt, after, PAGE);
      if (page.length === 0) break;
      recipients += page.length;
      // Each page's sends are queued at once, so the first messages go while later pages are still written.
      await this.writeReminders(item, job.offsetMinutes, dueAt, page, pacer ?? dueAt);
      after = page[page.length - 1].registrationId;
      if (page.length < PAGE) break;
    }
    await this.audience.markFanoutDone(item.id, job.offsetMinutes, item.version);
    return recipients;
  }

  /** Under the cap, the pace of this reminder's letters; says so when the cap cannot get them out in time. */
  private async pacer(item: ItemFacts, offsetMinutes: number, dueAt: Date): Promise<SendPacer | undefined> {
    if (!this.cap.perSecond) return undefined;
    const letters = await this.audience.reminderLetters(item.id, offsetMinutes, dueAt);
    const plan = sendPlan(dueAt.getTime(), Date.now(), offsetMinutes, letters, this.cap);
    if (plan.lateMs > 0)
      this.logger.warn(
        `Reminder ${offsetMinutes} min before item ${item.id}: ${letters} letters at ${this.cap.perSecond}/s ` +
          `from ${new Date(plan.startAt).toISOString()}, the last ${(plan.lateMs / 1000).toFixed(1)} s after its due time`,
      );
    return new SendPacer(plan, this.cap.perSecond);
  }

  /**
   * Reminder rows for these recipients (in the app, and by email unless turned off), released at `sendAt`, or
   * chunk by chunk at the pacer's turns.
   */
  private async writeReminders(
    item: ItemFacts,
    offsetMinutes: number,
    dueAt: Date,
    recipients: ReminderRecipient[],
    sendAt: SendPacer | Date,
  ): Promise<void> {
    const size = sendAt instanceof SendPacer ? sendAt.chunk : recipients.length;
    const sends: { id: string; sendAt: Date }[] = [];
    for (let i = 0; i < recipients.length; i += size) {
      const at = sendAt instanceof SendPacer ? sendAt.nextAt : sendAt;
      const created = await this.ledger.createDeliveries(
        recipients.slice(i, i + size).flatMap((r) =>
          ledgerChannelsFor(r.emailOk).map((channel) => ({
            userId: r.userId,
            channel,
            kind: 'reminder' as const,
            itemId: item.id,
            itemVersion: item.version,
            offsetMinutes,
            registrationId: r.registrationId,
            dueAt,
            sendAt: at,
          })),
        ),
      );
      if (sendAt instanceof SendPacer) sendAt.take(created.filter((d) => d.channel === 'email').length);
      sends.push(...created.map(({ id }) => ({ id, sendAt: at })));
    }
    await this.queues.queueSends(sends);
  }
}
