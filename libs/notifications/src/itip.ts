import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
} from 'ical-generator';

/** What a calendar message says happened to the person's place at an item (RFC 5546, iTIP). */
export type ItipMethod = 'REQUEST' | 'CANCEL';

export interface ItipEvent {
  /** The same for every message about one item, and the same as in the calendar feeds. */
  uid: string;
  /** Goes up whenever the item changes (the item's version), so calendars take the newest message. */
  sequence: number;
  method: ItipMethod;
  startsAt: Date;
  endsAt: Date;
  summary: string;
  description?: string;
  location: string;
  organizer: { name: string; email: string };
  attendee: { name: string; email: string };
}

/**
 * An iTIP message for one person: REQUEST puts the event in their calendar or moves it there (same UID, higher
 * SEQUENCE), CANCEL takes it out. The attendee has already accepted by registering: no answer is asked for.
 */
export function itipMessage(e: ItipEvent): string {
  const calendar = ical({
    prodId: { company: 'Pavilion', product: 'Pavilion programme', language: 'EN' },
    method: e.method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL,
  });
  calendar.createEvent({
    id: e.uid,
    sequence: e.sequence,
    start: e.startsAt,
    end: e.endsAt,
    summary: e.summary,
    description: e.description,
    location: e.location,
    status: e.method === 'REQUEST' ? ICalEventStatus.CONFIRMED : ICalEventStatus.CANCELLED,
    organizer: e.organizer,
    attendees: [
      {
        email: e.attendee.email,
        name: e.attendee.name,
        role: ICalAttendeeRole.REQ,
        status: e.method === 'REQUEST' ? ICalAttendeeStatus.ACCEPTED : undefined,
        rsvp: false,
      },
    ],
  });
  return calendar.toString();
}
