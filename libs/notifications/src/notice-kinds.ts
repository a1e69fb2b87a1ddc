import { OutboxKind } from '@pavilion/database';

/** Every kind of notice the ledger holds: each outbox event's, and the reminders the worker writes itself. */
export type NoticeKind = OutboxKind | 'reminder' | 'meeting_reminder';

/** The notices about B2B meetings and requests, worded by meeting-templates.ts. */
export const MEETING_NOTICE_KINDS = [
  'meeting_request',
  'meeting_request_answered',
  'meeting_scheduled',
  'meeting_cancelled',
  'meeting_reminder',
] as const satisfies readonly NoticeKind[];
export type MeetingNoticeKind = (typeof MEETING_NOTICE_KINDS)[number];

/** The notices about an item and a person's seat, worded by templates.ts. */
export type ItemNoticeKind = Exclude<NoticeKind, MeetingNoticeKind>;

/** The kinds whose event gives its registrant a seat, and so reminders. */
export function takesSeat(kind: NoticeKind): boolean {
  return kind === 'registration_confirmed' || kind === 'waitlist_promoted';
}

export function isMeetingKind(kind: NoticeKind): kind is MeetingNoticeKind {
  return (MEETING_NOTICE_KINDS as readonly NoticeKind[]).includes(kind);
}
