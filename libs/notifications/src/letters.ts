import { EmailMessage } from './channels/email.channel';
import { checkInQr } from './check-in-qr';
import { itipMessage, ItipMethod } from './itip';
import { ItemFacts, UserFacts } from './notice-facts';

// What a letter about an item carries besides its text: the iTIP calendar message that puts the item in the
// person's calendar, moves it or takes it out, and for a confirmation the check-in code as a QR image.

type Registration = { status: string; checkInCode: string } | null;

const CONFIRMATIONS = new Set<string>(['registration_confirmed', 'waitlist_promoted']);

/** REQUEST for a confirmation and for a move of an item the person holds a seat at; CANCEL when it is off. */
function calendarMethod(kind: string, registration: Registration): ItipMethod | undefined {
  if (CONFIRMATIONS.has(kind)) return 'REQUEST';
  if (kind === 'item_rescheduled') return registration?.status === 'confirmed' ? 'REQUEST' : undefined;
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
): EmailMessage['calendar'] {
  const method = calendarMethod(kind, registration);
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
      location: `${item.spaceName}, ${item.pavilionName}, ${item.venueName}, ${item.venueCity}`,
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

export async function checkInAttachments(code: string | undefined): Promise<EmailMessage['attachments']> {
  if (!code) return undefined;
  return [{ filename: `check-in-${code}.png`, contentType: 'image/png', content: await checkInQr(code) }];
}
