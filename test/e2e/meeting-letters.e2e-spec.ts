import { calendarOf } from '../support/calendar-part';
import { NotificationStack } from '../support/stack';

/**
 * B2B meeting letters follow iTIP as the registration letters do: REQUEST when a meeting is booked or moves with
 * its session (one UID per meeting, SEQUENCE rising with each change), CANCEL with STATUS:CANCELLED when it is
 * off; the place names the table, the space and the city; times say their zone.
 */
describe('B2B meeting letters people can use', () => {
  let stack: NotificationStack;

  beforeAll(async () => {
    stack = await NotificationStack.start('meeting-letters');
  }, 120_000);
  afterAll(() => stack.close());

  const ok = <T = any>(p: Promise<{ status: number; body: T; text: string }>) => stack.world.ok<T>(p);
  const letters = async (email: string, subject: string, count = 1) => {
    await stack.sink.waitFor(
      () => stack.sink.to(email).filter((m) => m.subject.startsWith(subject)).length >= count,
      30_000,
      `${count} "${subject}" to ${email}`,
    );
    return stack.sink.to(email).filter((m) => m.subject.startsWith(subject));
  };

  it('books with REQUEST, moves with a higher SEQUENCE, cancels with CANCEL; city, table and zone named', async () => {
    const world = stack.world;
    const admin = await world.adminToken();
    const tree = await world.venueTree({
      openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '24:00' })),
    });
    const zone = await ok(
      stack.api.post(
        `/api/pavilions/${tree.pavilion.id}/spaces`,
        { name: 'B2B zone', capacity: 20, kind: 'b2b_zone', tables: 3 },
        { token: admin },
      ),
    );
    const organizer = await world.organizer();
    const programme = await world.programme(organizer, tree.pavilion, {
      startsOn: '2031-06-02',
      endsOn: '2031-06-02',
      publish: true,
    });
    const session = await ok(
      stack.api.post(
        `/api/programmes/${programme.id}/items`,
        {
          type: 'b2b_meetings',
          title: 'Meetings with business',
          spaceId: zone.id,
          startsAt: '2031-06-02T10:00',
          endsAt: '2031-06-02T11:00',
        },
        { token: organizer.token },
      ),
    );
    const [asker, asked] = [await world.signup(), await world.signup()];
    const join = (person: { token: string }, company: string) =>
      ok(
        stack.api.post(
          `/api/items/${session.id}/b2b/participants`,
          { company, sector: 'energy', offers: [], seeks: [], languages: ['ru'] },
          { token: person.token },
        ),
      );
    await join(asker, 'Ural Energy');
    const them = await join(asked, 'Astana Solar');
    const request = await ok(
      stack.api.post(
        `/api/items/${session.id}/b2b/requests`,
        { toParticipantId: them.id },
        { token: asker.token },
      ),
    );
    await ok(stack.api.post(`/api/b2b/requests/${request.id}/accept`, {}, { token: asked.token }));
    const meeting = await ok(
      stack.api.post(
        `/api/items/${session.id}/b2b/meetings`,
        { requestId: request.id, slotStartsAt: '2031-06-02T10:20' },
        { token: asker.token },
      ),
    );

    const [booked] = await letters(asked.email, 'Meeting with Ural Energy');
    // Astana is UTC+5 since March 2024: 10:20 there, said with its zone.
    expect(booked.subject).toBe(
      `Meeting with Ural Energy: Mon 2 Jun 2031, 10:20 (UTC+5), table ${meeting.table}`,
    );
    expect(booked.text).toContain(
      `Where: B2B zone, ${tree.pavilion.name}, ${tree.venue.name}, ${tree.venue.city}`,
    );
    const request1 = calendarOf(booked)!;
    expect(request1).toMatchObject({
      method: 'REQUEST',
      uid: `${meeting.id}@pavilion-b2b`,
      sequence: 1,
      status: 'CONFIRMED',
      location: `Table ${meeting.table}, B2B zone, ${tree.pavilion.name}, ${tree.venue.name}, ${tree.venue.city}`,
      start: '2031-06-02T05:20:00.000Z',
    });
    expect(request1.contentType).toMatch(/^text\/calendar;.*method=REQUEST/i);
    const [theirs] = await letters(asker.email, 'Meeting with Astana Solar');
    expect(calendarOf(theirs)).toMatchObject({ method: 'REQUEST', uid: request1.uid, sequence: 1 });

    // The session moves an hour later: the meeting moves with it, the same UID with a higher SEQUENCE.
    await ok(
      stack.api.patch(
        `/api/items/${session.id}`,
        { startsAt: '2031-06-02T11:00', endsAt: '2031-06-02T12:00' },
        { token: organizer.token },
      ),
    );
    const [moved] = await letters(asked.email, 'Meeting moved');
    expect(moved.subject).toContain('11:20 (UTC+5)');
    const request2 = calendarOf(moved)!;
    expect(request2).toMatchObject({
      method: 'REQUEST',
      uid: request1.uid,
      status: 'CONFIRMED',
      start: '2031-06-02T06:20:00.000Z',
    });
    expect(request2.sequence).toBeGreaterThan(request1.sequence);

    // Cancelled by the asker: the other party's calendar loses it.
    await ok(stack.api.post(`/api/b2b/meetings/${meeting.id}/cancel`, {}, { token: asker.token }));
    const [cancelled] = await letters(asked.email, 'Meeting cancelled');
    const cancel = calendarOf(cancelled)!;
    expect(cancel).toMatchObject({ method: 'CANCEL', uid: request1.uid, status: 'CANCELLED' });
    expect(cancel.sequence).toBeGreaterThan(request2.sequence);
    expect(cancel.contentType).toMatch(/^text\/calendar;.*method=CANCEL/i);
  }, 120_000);
});
