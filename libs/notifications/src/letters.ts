import { EmailMessage } from './channels/email.channel';
import { checkInQr } from './check-in-qr';
import { itipMessage, ItipMethod } from './itip';
import { MeetingFacts, NoticeParty } from './meeting-notices.repository';
import { ItemFacts, UserFacts } from './notice-facts';

// What a letter about an item or a B2B meeting carries besides its text: the iTIP calendar message that puts it in
// the person's calendar, moves it or takes it out, and for a confirmation the check-in code as a QR image.

type Registration = { status: string; checkInCode: string } | null;

const CONFIRMATIONS = new Set<string>(['registration_confirmed', 'waitlist_promoted']);

/**
 * REQUEST for a confirmation and for a move of an item the person holds a seat at (or speaks at); CANCEL when it
 * is off.
 */
function calendarMethod(kind: string, registration: Registration, speaker: boolean): ItipMethod | undefined {
  if (CONFIRMATIONS.has(kind)) return 'REQUEST';
  if (kind === 'item_rescheduled')
    return speaker || registration?.status === 'confirmed' ? 'REQUEST' : undefined;
  if (kind === 'item_cancelled' || kind === 'registration_cancelled') return 'CANCEL';
  return undefined;
}

/** "Pavilion <no-reply@pavilion.local>" → its name and address. */
function sender(mailFrom: string): { name: string; email: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(mailFrom);
  return match
    ? { name: match[1] || 'Pavilion', email: match[2] }
    : { name: 'Pavilion', email: mailFrom.trim() };
}

/**
 * The item as an iTIP message for this person: the UID the calendar feeds give it, its version as SEQUENCE (a
 * move raises it), the place with its city.
 */
export function itemCalendar(
  kind: string,
  item: ItemFacts,
  registration: Registration,
  recipient: UserFacts,
  mailFrom: string,
  speaker = false,
): EmailMessage['calendar'] {
  const method = calendarMethod(kind, registration, speaker);
  if (!method) return undefined;
  return {
    method,
    content: itipMessage({
      uid: `${item.id}@pavilion`,
      sequence: item.version,
      method,
      startsAt: item.startsAt,
      endsAt: item.endsAt,
      summary: item.title,
      location: placeOf(item),
      organizer: sender(mailFrom),
      attendee: { name: recipient.displayName, email: recipient.email },
    }),
  };
}

/** The item's place as the feeds name it: space, pavilion, venue, city. */
function placeOf(item: ItemFacts): string {
  return `${item.spaceName}, ${item.pavilionName}, ${item.venueName}, ${item.venueCity}`;
}

/**
 * A B2B meeting as an iTIP message for one party, with the UID the personal feed gives it: REQUEST when it is
 * scheduled or moves (SEQUENCE its version, which a move raises), CANCEL when it is off (one higher: a
 * cancellation is a change too). The place names the table, the session's space and the city.
 */
export function meetingCalendar(
  kind: string,
  item: ItemFacts,
  meeting: MeetingFacts,
  counterpart: NoticeParty,
  recipient: UserFacts,
  mailFrom: string,
): EmailMessage['calendar'] {
  const method: ItipMethod | undefined =
    kind === 'meeting_scheduled' ? 'REQUEST' : kind === 'meeting_cancelled' ? 'CANCEL' : undefined;
  if (!method) return undefined;
  return {
    method,
    content: itipMessage({
      uid: `${meeting.id}@pavilion-b2b`,
      sequence: method === 'CANCEL' ? meeting.version + 1 : meeting.version,
      method,
      startsAt: meeting.startsAt,
      endsAt: meeting.endsAt,
      summary: `B2B meeting, table ${meeting.table}: ${counterpart.company} (${counterpart.name})`,
      description: `${item.title}\nTable ${meeting.table}\n${counterpart.company}, ${counterpart.name}`,
      location: `Table ${meeting.table}, ${placeOf(item)}`,
      organizer: sender(mailFrom),
      attendee: { name: recipient.displayName, email: recipient.email },
    }),
  };
}

/** A confirmation's check-in code: said in the text, and attached as a QR image to show at the entrance. */
export function checkInCode(kind: string, registration: Registration): string | undefined {
  return CONFIRMATIONS.has(kind) && registration?.status === 'confirmed'
    ? registration.checkInCode
    : undefined;
}

export function checkInAttachments(code: string | undefined): EmailMessage['attachments'] {
  if (!code) return undefined;
  return [{ filename: `check-in-${code}.png`, contentType: 'image/png', content: checkInQr(code) }];
}
