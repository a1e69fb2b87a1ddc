// Notification texts for one recipient, in their language. Pure: no Nest, no I/O, only Node's Intl. The words
// are in notice-phrases.ts, the times in notice-time.ts.

import { Locale } from '@pavilion/core';
import { ItemNoticeKind } from './notice-kinds';
import { Parts, PHRASES } from './notice-phrases';
import { formatRange, formatWhen, ItemPlace, oneLine, startsInPhrase, withZone } from './notice-time';

/** What a notice says, the same for everyone told the same thing in the same language. */
export interface NoticeContext {
  kind: ItemNoticeKind;
  locale: Locale;
  timezone: string; // IANA zone of the venue, e.g. 'Asia/Almaty'
  item: { title: string; venueName: string; pavilionName: string; city: string } & ItemPlace;
  previous?: ItemPlace; // item_rescheduled: what the attendee was last told
  waitlistPosition?: number; // waitlisted
  cancelReason?: string; // item_cancelled
  displacedBy?: string[]; // item_displaced: why it can no longer stay, in the organizer's words
  offsetMinutes?: number; // reminder: how long before the start
  speaker?: boolean; // item_rescheduled, item_cancelled: told to a speaker of the item, not a registrant
}

/** The letter around a notice: whom it greets, and for reminders the link that turns them off. */
export interface LetterContext {
  recipientName: string;
  unsubscribeUrl?: string; // reminder emails: link to turn reminders off
  checkInCode?: string; // confirmations: the code to check in with
}

export type NotificationContext = NoticeContext & LetterContext;

export interface NoticeText {
  subject: string;
  /**
   * What the in-app list shows under the subject: the email's text without the greeting and the unsubscribe
   * link, which belong to a letter.
   */
  inApp: string;
}

export interface RenderedNotification extends NoticeText {
  /** The email's text: greeting, what happened, and for reminders the unsubscribe link. */
  text: string;
}
/** Subject and in-app text of a notice. A batch to many people renders each distinct notice once. */
export function renderNotice(ctx: NoticeContext): NoticeText {
  const { kind, locale, timezone, item } = ctx;
  const ph = PHRASES[locale];

  const startsIn = startsInPhrase(ctx.offsetMinutes, locale);

  const parts: Parts = {
    title: ph.quote(item.title),
    when: withZone(formatWhen(item.startsAt, locale, timezone), item.startsAt, timezone),
    space: item.spaceName,
    position: ctx.waitlistPosition,
    startsIn,
  };

  const where = `${ph.whereLabel}: ${item.spaceName}, ${item.pavilionName}, ${item.venueName}, ${item.city}`;
  const range = (place: ItemPlace) =>
    withZone(formatRange(place, locale, timezone), place.startsAt, timezone);
  const details: string[] = [parts.title];
  if (kind === 'item_rescheduled') {
    if (ctx.previous) {
      details.push(`${ph.wasLabel}: ${range(ctx.previous)}, ${ctx.previous.spaceName}`);
    }
    details.push(`${ph.nowLabel}: ${range(item)}, ${item.spaceName}`, where);
  } else {
    details.push(`${ph.whenLabel}: ${range(item)}`, where);
  }

  const lead =
    ctx.speaker && (kind === 'item_rescheduled' || kind === 'item_cancelled')
      ? ph.speakerLead[kind]()
      : ph.lead[kind](parts);
  const paragraphs: string[] = [lead, details.join('\n')];
  if (kind === 'item_cancelled' && ctx.cancelReason?.trim()) {
    paragraphs.push(ph.reason(ctx.cancelReason.trim()));
  }
  if (kind === 'item_displaced' && ctx.displacedBy?.length) {
    paragraphs.push(ctx.displacedBy.map((why) => `${ph.displacedBecause}: ${why}`).join('\n'));
  }
  return { subject: oneLine(ph.subject[kind](parts)), inApp: paragraphs.join('\n\n') };
}

/** Kinds whose emails end with the link that turns reminders off. */
const REMINDER_KINDS = new Set<string>(['reminder', 'meeting_reminder']);

/**
 * The email's text for one recipient: a greeting, the notice, the check-in code of a confirmation, and for
 * reminders the unsubscribe link.
 */
export function renderLetter(
  notice: NoticeText,
  kind: string,
  locale: Locale,
  letter: LetterContext,
): string {
  const ph = PHRASES[locale];
  const checkIn = letter.checkInCode ? `\n\n${ph.checkIn(letter.checkInCode)}` : '';
  const footer =
    REMINDER_KINDS.has(kind) && letter.unsubscribeUrl ? `\n\n${ph.unsubscribe(letter.unsubscribeUrl)}` : '';
  return `${ph.greeting(letter.recipientName)}\n\n${notice.inApp}${checkIn}${footer}\n`;
}

export function renderNotification(ctx: NotificationContext): RenderedNotification {
  const notice = renderNotice(ctx);
  return { ...notice, text: renderLetter(notice, ctx.kind, ctx.locale, ctx) };
}
