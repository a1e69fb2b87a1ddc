import { Injectable } from '@nestjs/common';
import { JobQueues } from './job-queues';
import { MeetingFacts, MeetingNoticesRepository } from './meeting-notices.repository';
import { effectiveOffsets } from './meeting-notices';
import {
  Channel,
  ItemFacts,
  NewDelivery,
  NotificationsRepository,
  UserFacts,
} from './notifications.repository';
import { OutboxJob } from './queues';

const personalChannels = (user: UserFacts): Channel[] =>
  user.notification_preferences.email === false ? ['in_app'] : ['in_app', 'email'];

/**
 * Turns B2B meeting events into the parties' notices, and a scheduled meeting into its reminders. Each row is
 * keyed by what it is about (`ref`): a request and its answer, a meeting version, a cancelled meeting; so a
 * repeated event adds nothing. Reminders are written when the meeting is told, one per (meeting version,
 * offset, person, channel), due at the meeting's start minus the offset; a send re-checks the meeting, so a
 * cancelled or moved meeting's reminder is never sent.
 */
@Injectable()
export class MeetingFanout {
  constructor(
    private readonly repository: NotificationsRepository,
    private readonly meetings: MeetingNoticesRepository,
    private readonly queues: JobQueues,
  ) {}

  /** The personal notice rows of one meeting event; a scheduled meeting's reminders are written (and queued) here. */
  async notices(event: OutboxJob, item: ItemFacts): Promise<NewDelivery[]> {
    const { requestId, meetingId, answer, reason, moved } = event.payload as {
      requestId?: string;
      meetingId?: string;
      answer?: string;
      reason?: string;
      moved?: boolean;
    };
    const people = new Map<string, UserFacts | null>();
    const rows: NewDelivery[] = [];
    const tell = async (userId: string, ref: string, payload: Record<string, unknown>) => {
      const user = await this.person(people, userId);
      if (!user) return;
      for (const channel of personalChannels(user))
        rows.push({
          userId,
          channel,
          kind: event.kind,
          itemId: item.id,
          itemVersion: item.version,
          ref,
          payload,
        });
    };

    if (event.kind === 'meeting_request' && event.userId && requestId)
      await tell(event.userId, `request-${requestId}`, { requestId });
    if (event.kind === 'meeting_request_answered' && event.userId && requestId)
      await tell(event.userId, `request-${requestId}-${answer}`, { requestId, answer });
    if (event.kind === 'meeting_cancelled' && event.userId && meetingId)
      await tell(event.userId, `meeting-${meetingId}-cancelled`, { meetingId, reason });
    if (event.kind === 'meeting_scheduled' && meetingId) {
      const meeting = (await this.meetings.meetings([meetingId])).get(meetingId);
      // Cancelled before anyone was told: its cancellation says enough.
      if (!meeting || meeting.status !== 'scheduled') return rows;
      const recipients = event.userId ? [event.userId] : meeting.parties.map((p) => p.userId);
      for (const userId of recipients)
        await tell(userId, `meeting-${meeting.id}-v${meeting.version}`, {
          meetingId,
          meetingVersion: meeting.version,
          moved: moved === true,
        });
      await this.writeReminders(item, meeting, recipients, people);
    }
    return rows;
  }

  /** Reminder rows of one meeting version for these parties, at their offsets still ahead; sends queued for each due time. */
  private async writeReminders(
    item: ItemFacts,
    meeting: MeetingFacts,
    userIds: string[],
    people: Map<string, UserFacts | null>,
  ): Promise<void> {
    if (item.status === 'cancelled') return;
    const byDue = new Map<number, NewDelivery[]>();
    for (const userId of userIds) {
      const user = await this.person(people, userId);
      if (!user || user.notification_preferences.reminders === false) continue;
      for (const offsetMinutes of effectiveOffsets(user.notification_preferences, item.reminder_offsets)) {
        const due = meeting.startsAt.getTime() - offsetMinutes * 60_000;
        if (due <= Date.now()) continue;
        const rows = byDue.get(due) ?? [];
        for (const channel of personalChannels(user))
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
    // Each send job is released at its batch's earliest due time, so reminders of different times never share one.
    for (const [due, rows] of byDue) {
      const ids = await this.repository.createDeliveries(rows);
      await this.queues.deliver(ids.map((id) => ({ id, due_at: new Date(due) })));
    }
  }

  private async person(people: Map<string, UserFacts | null>, userId: string): Promise<UserFacts | null> {
    if (!people.has(userId)) people.set(userId, await this.repository.userFacts(userId));
    return people.get(userId) ?? null;
  }
}
