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

/**
 * The kinds whose event tells only its registrant (one ledger row: notice-channels.ts) and the organization's
 * webhooks, and schedules the registrant's reminders: a rush of them is handled in bulk (the `outbox-events` job).
 */
export const REGISTRANT_KINDS = [
  'registration_confirmed',
  'waitlisted',
  'waitlist_promoted',
  'registration_cancelled',
] as const satisfies readonly OutboxKind[];
export type RegistrantKind = (typeof REGISTRANT_KINDS)[number];

export function isRegistrantKind(kind: NoticeKind): kind is RegistrantKind {
  return (REGISTRANT_KINDS as readonly NoticeKind[]).includes(kind);
}

/** The registrant kinds that give their registrant a seat, and so reminders. */
export function takesSeat(kind: NoticeKind): boolean {
  return kind === 'registration_confirmed' || kind === 'waitlist_promoted';
}

export function isMeetingKind(kind: NoticeKind): kind is MeetingNoticeKind {
  return (MEETING_NOTICE_KINDS as readonly NoticeKind[]).includes(kind);
}
