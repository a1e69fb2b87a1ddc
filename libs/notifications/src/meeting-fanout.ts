import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@pavilion/config';
import { JobQueues, OutboxJob } from './job-contracts';
import { MeetingFacts, MeetingNoticesRepository } from './meeting-notices.repository';
import { effectiveOffsets } from './meeting-notices';
import { DeliveryLedgerRepository, NewDelivery } from './delivery-ledger.repository';
import { personalLedgerChannels } from './notice-channels';
import { ItemFacts, UserFacts } from './notice-facts';
import { ReminderCap, SendPacer, sendPlan } from './reminder-timing';

/** What a meeting event carries: one request or meeting, or a publication's meetings (`meetingIds`). */
interface MeetingEventPayload {
  requestId?: string;
  meetingId?: string;
  meetingIds?: string[];
  runId?: string;
  answer?: string;
  reason?: string;
  moved?: boolean;
}

/** The webhook messages of a meeting event: one per meeting (a publication names many), each its own ledger row. */
export function meetingWebhookMessages(
  event: OutboxJob,
): { ref: string; payload: Record<string, unknown> }[] {
  const { meetingIds, ...rest } = event.payload as MeetingEventPayload;
  if (!meetingIds)
    return [{ ref: `outbox-${event.outboxId}`, payload: { ...rest, outboxId: event.outboxId } }];
  return meetingIds.map((meetingId) => ({
    ref: `outbox-${event.outboxId}-${meetingId}`,
    payload: { ...rest, meetingId, outboxId: event.outboxId },
  }));
}

/**
 * Turns B2B meeting events into the parties' notices, and scheduled meetings into their reminders. Each row is
 * keyed by what it is about (`ref`): a request and its answer, a meeting version, a cancelled meeting; so a
 * repeated event adds nothing. Reminders are written when a meeting is told, one per (meeting version, offset,
 * person, channel), due at the meeting's start minus the offset; a send re-checks the meeting, so a cancelled
 * or moved meeting's reminder is never sent. A publication is one event for all its meetings, read and written
 * in a few statements. Under SMTP_MAX_PER_SECOND the reminders due at one time are paced as an item's are
 * (reminder-timing.ts): released chunk by chunk from as late as still gets the last out by the due time.
 */
@Injectable()
export class MeetingFanout {
  private readonly logger = new Logger(MeetingFanout.name);
  private readonly cap: ReminderCap;

  constructor(
    private readonly ledger: DeliveryLedgerRepository,
    private readonly meetings: MeetingNoticesRepository,
    private readonly queues: JobQueues,
    config: AppConfig,
  ) {
    this.cap = { perSecond: config.smtpMaxPerSecond, maxEarlyMs: config.reminderMaxEarlyMs };
  }

  /** The personal notice rows of one meeting event; scheduled meetings' reminders are written (and queued) here. */
  async notices(event: OutboxJob, item: ItemFacts): Promise<NewDelivery[]> {
    const { requestId, meetingId, meetingIds, answer, reason, moved } = event.payload as MeetingEventPayload;
    if (event.kind === 'meeting_scheduled') {
      const ids = meetingIds ?? (meetingId ? [meetingId] : []);
      const facts = await this.meetings.meetings(ids);
      // A meeting cancelled before anyone was told needs no notice: its cancellation says enough.
      const told = ids
        .map((id) => facts.get(id))
        .filter((m): m is MeetingFacts => m?.status === 'scheduled')
        .map((meeting) => ({
          meeting,
          userIds: event.userId ? [event.userId] : meeting.parties.map((p) => p.userId),
        }));
      const people = await this.meetings.users(told.flatMap((t) => t.userIds));
      const rows = told.flatMap(({ meeting, userIds }) =>
        userIds.flatMap((userId) =>
          this.rows(event, item, people.get(userId), `meeting-${meeting.id}-v${meeting.version}`, {
            meetingId: meeting.id,
            meetingVersion: meeting.version,
            moved: moved === true,
          }),
        ),
      );
      await this.writeReminders(item, told, people);
      return rows;
    }
    if (!event.userId) return [];
    const people = await this.meetings.users([event.userId]);
    const person = people.get(event.userId);
    if (event.kind === 'meeting_request' && requestId)
      return this.rows(event, item, person, `request-${requestId}`, { requestId });
    if (event.kind === 'meeting_request_answered' && requestId)
      return this.rows(event, item, person, `request-${requestId}-${answer}`, { requestId, answer });
    if (event.kind === 'meeting_cancelled' && meetingId)
      return this.rows(event, item, person, `meeting-${meetingId}-cancelled`, { meetingId, reason });
    return [];
  }

  /** One notice to one person: in the app, and by email unless they turned it off. */
  private rows(
    event: OutboxJob,
    item: ItemFacts,
    user: UserFacts | undefined,
    ref: string,
    payload: Record<string, unknown>,
  ): NewDelivery[] {
    if (!user) return [];
    return personalLedgerChannels(user).map((channel) => ({
      userId: user.id,
      channel,
      kind: event.kind,
      itemId: item.id,
      itemVersion: item.version,
      ref,
      payload,
    }));
  }

  /** Reminder rows of these meeting versions for their parties, at offsets still ahead; sends queued per due time. */
  private async writeReminders(
    item: ItemFacts,
    told: { meeting: MeetingFacts; userIds: string[] }[],
    people: Map<string, UserFacts>,
  ): Promise<void> {
    if (item.status === 'cancelled') return;
    const byDue = new Map<number, NewDelivery[]>();
    const now = Date.now();
    for (const { meeting, userIds } of told)
      for (const userId of userIds) {
        const user = people.get(userId);
        if (!user || user.notificationPreferences.reminders === false) continue;
        for (const offsetMinutes of effectiveOffsets(user.notificationPreferences, item.reminderOffsets)) {
          const due = meeting.startsAt.getTime() - offsetMinutes * 60_000;
          if (due <= now) continue;
          const rows = byDue.get(due) ?? [];
          for (const channel of personalLedgerChannels(user))
            rows.push({
              userId,
              channel,
              kind: 'meeting_reminder',
              itemId: item.id,
              itemVersion: item.version,
              offsetMinutes,
              ref: `meeting-${meeting.id}-v${meeting.version}`,
              payload: { meetingId: meeting.id, meetingVersion: meeting.version },
              dueAt: new Date(due),
            });
          byDue.set(due, rows);
        }
      }
    // Each send job is released at its batch's earliest due time, so reminders of different times never share one;
    // under the cap, at its chunk's turn.
    for (const [due, rows] of byDue) {
      const pacer = this.pacer(item, due, rows);
      const sends: { id: string; sendAt: Date }[] = [];
      for (const chunk of pacer ? pacer.chunks(rows) : [{ at: new Date(due), rows }]) {
        const created = await this.ledger.createDeliveries(
          pacer ? chunk.rows.map((row) => ({ ...row, sendAt: chunk.at })) : chunk.rows,
        );
        sends.push(...created.map(({ id }) => ({ id, sendAt: chunk.at })));
      }
      await this.queues.queueSends(sends);
    }
  }

  /**
   * Under the cap, the pace of the reminders due at `due`, planned on the shortest lead among them (the tightest
   * bound on how early they may go); says so when the cap cannot get them out in time.
   */
  private pacer(item: ItemFacts, due: number, rows: NewDelivery[]): SendPacer | undefined {
    if (!this.cap.perSecond) return undefined;
    const letters = rows.filter((r) => r.channel === 'email').length;
    const offsetMinutes = rows.reduce((least, r) => Math.min(least, r.offsetMinutes ?? 0), Infinity);
    const plan = sendPlan(due, Date.now(), offsetMinutes, letters, this.cap);
    if (plan.lateMs > 0)
      this.logger.warn(
        `Meeting reminders of item ${item.id} due ${new Date(due).toISOString()}: ${letters} letters at ` +
          `${this.cap.perSecond}/s, the last ${(plan.lateMs / 1000).toFixed(1)} s after their due time`,
      );
    return new SendPacer(plan, this.cap.perSecond);
  }
}
