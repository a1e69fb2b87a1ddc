// The B2B meeting notices at send time: whether one still holds, and what it says to its recipient.
import { MeetingFacts, NoticeParty, RequestFacts } from './meeting-notices.repository';
import { MeetingCancelReason, MeetingNoticeContext, RequestAnswer } from './meeting-templates';
import { MeetingNoticeKind } from './notice-kinds';
import { ClaimedNotice } from './delivery-ledger.repository';
import { Channel, ItemFacts, UserFacts } from './notice-facts';

/** A claimed notice about a meeting or a request. */
export type MeetingNotice = ClaimedNotice['notice'] & { kind: MeetingNoticeKind };

/** The meeting or request a notice is about, read as it is now. */
export interface MeetingNoticeFacts {
  meeting: MeetingFacts | null;
  request: RequestFacts | null;
}

/** The reminder offsets a person uses: their own if they set some, else the programme's. */
export function effectiveOffsets(
  prefs: UserFacts['notificationPreferences'],
  programmeOffsets: number[],
): number[] {
  const own = prefs.reminderOffsetsMinutes;
  return own && own.length > 0 ? own : programmeOffsets;
}

/**
 * Why this meeting notice must not go out any more, or null. A reminder or a "scheduled" notice is about one
 * version of a meeting: once the meeting is cancelled or moved it is stale (the move has a notice of its own).
 * A cancellation or an answer always goes: it happened.
 */
export function meetingStaleReason(
  channel: Channel,
  d: MeetingNotice,
  item: ItemFacts,
  user: UserFacts,
  facts: MeetingNoticeFacts,
  now: number = Date.now(),
): string | null {
  const prefs = user.notificationPreferences;
  if (channel === 'email' && prefs.email === false) return 'email turned off';
  switch (d.kind) {
    case 'meeting_request':
      if (!facts.request) return 'request is gone';
      return facts.request.status === 'withdrawn' ? 'request withdrawn' : null;
    case 'meeting_request_answered':
      return facts.request ? null : 'request is gone';
    case 'meeting_cancelled':
      return facts.meeting ? null : 'meeting is gone';
    case 'meeting_scheduled':
    case 'meeting_reminder': {
      const meeting = facts.meeting;
      if (!meeting) return 'meeting is gone';
      if (item.status === 'cancelled') return 'session cancelled';
      if (meeting.status !== 'scheduled') return 'meeting cancelled';
      if (meeting.version !== d.payload.meetingVersion) return 'meeting changed since';
      if (d.kind === 'meeting_scheduled') return null;
      if (prefs.reminders === false) return 'reminders turned off';
      if (item.programmeStatus !== 'published') return 'programme unpublished';
      if (!effectiveOffsets(prefs, item.reminderOffsets).includes(d.offsetMinutes))
        return 'reminder offset no longer wanted';
      return now >= meeting.startsAt.getTime() ? 'meeting has started' : null;
    }
    default:
      return `not a meeting notice: ${d.kind}`;
  }
}

/** The other party of a meeting, seen by `userId`. */
export function counterpartOf(meeting: MeetingFacts, userId: string): NoticeParty {
  return meeting.parties[0].userId === userId ? meeting.parties[1] : meeting.parties[0];
}

/** What the notice says to this recipient; throws when the facts it needs are gone (the delivery fails). */
export function meetingNoticeContext(
  d: MeetingNotice,
  item: ItemFacts,
  user: UserFacts,
  facts: MeetingNoticeFacts,
): MeetingNoticeContext {
  const kind = d.kind;
  const base = {
    kind,
    locale: user.locale,
    timezone: item.timezone,
    session: {
      title: item.title,
      startsAt: item.startsAt,
      endsAt: item.endsAt,
      spaceName: item.spaceName,
      pavilionName: item.pavilionName,
      venueName: item.venueName,
      city: item.venueCity,
    },
  };
  if (kind === 'meeting_request' || kind === 'meeting_request_answered') {
    const request = facts.request;
    if (!request) throw new Error('the request is gone');
    const counterpart = request.from.userId === user.id ? request.to : request.from;
    return {
      ...base,
      counterpart,
      message: kind === 'meeting_request' ? (request.message ?? undefined) : undefined,
      answer: kind === 'meeting_request_answered' ? (d.payload.answer as RequestAnswer) : undefined,
    };
  }
  const meeting = facts.meeting;
  if (!meeting) throw new Error('the meeting is gone');
  return {
    ...base,
    counterpart: counterpartOf(meeting, user.id),
    meeting: { startsAt: meeting.startsAt, endsAt: meeting.endsAt, table: meeting.table },
    moved: d.payload.moved === true,
    cancelReason: (d.payload.reason ?? meeting.cancelReason ?? undefined) as MeetingCancelReason | undefined,
    offsetMinutes: kind === 'meeting_reminder' ? d.offsetMinutes : undefined,
  };
}
