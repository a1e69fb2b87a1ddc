import ical from 'node-ical';
import { ItipEvent, itipMessage } from './itip';

const event: ItipEvent = {
  uid: '6f1c2a9e-0d3b-4c8e-9a55-3f0e2b7d1c44@pavilion',
  sequence: 3,
  method: 'REQUEST',
  startsAt: new Date('2031-06-02T05:00:00Z'),
  endsAt: new Date('2031-06-02T06:30:00Z'),
  summary: 'Round table: tourism between the Urals and Astana',
  location: 'Round table room, Russian Federation pavilion, EXPO-2017, Astana',
  organizer: { name: 'Chelyabinsk Region business week', email: 'noreply@pavilion.local' },
  attendee: { name: 'Aigerim Visitor', email: 'visitor@pavilion.local' },
};

/** The message as a calendar program reads it (node-ical). */
function parsed(text: string) {
  const data = ical.sync.parseICS(text);
  const vevent = Object.values(data).find((c) => c?.type === 'VEVENT') as ical.VEvent;
  return { method: (data.vcalendar as unknown as { method?: string }).method, vevent };
}

describe('iTIP messages (RFC 5546)', () => {
  it('puts the item in the calendar with REQUEST: UID, SEQUENCE, CONFIRMED, the attendee accepted', () => {
    const { method, vevent } = parsed(itipMessage(event));
    expect(method).toBe('REQUEST');
    expect(vevent.uid).toBe(event.uid);
    expect(Number(vevent.sequence)).toBe(3);
    expect(vevent.status).toBe('CONFIRMED');
    expect(vevent.location).toBe(event.location);
    expect(new Date(vevent.start).toISOString()).toBe('2031-06-02T05:00:00.000Z');
    expect(vevent.attendee).toMatchObject({
      val: 'MAILTO:visitor@pavilion.local',
      params: { PARTSTAT: 'ACCEPTED', RSVP: false },
    });
  });

  it('takes it out with CANCEL: the same UID, STATUS:CANCELLED', () => {
    const { method, vevent } = parsed(itipMessage({ ...event, method: 'CANCEL', sequence: 4 }));
    expect(method).toBe('CANCEL');
    expect(vevent.uid).toBe(event.uid);
    expect(Number(vevent.sequence)).toBe(4);
    expect(vevent.status).toBe('CANCELLED');
  });
});
