import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { calendarOf } from '../support/calendar-part';
import { ReceivedMail } from '../support/smtp-sink';
import { NotificationStack, soonItem } from '../support/stack';

/** What the QR image of a letter says, read as a phone's camera would. */
function qrOf(mail: ReceivedMail): { filename?: string; text?: string } | undefined {
  const part = mail.parts.find((p) => p.contentType.startsWith('image/png'));
  if (!part) return undefined;
  const png = PNG.sync.read(part.content);
  return {
    filename: part.filename,
    text: jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data,
  };
}

describe('letters people can use', () => {
  let stack: NotificationStack;

  beforeAll(async () => {
    stack = await NotificationStack.start('letters');
  }, 120_000);
  afterAll(() => stack.close());

  const letter = async (email: string, subject: string) => {
    await stack.sink.waitFor(
      (all) => all.some((m) => m.to === email && m.subject.startsWith(subject)),
      30_000,
      `"${subject}" to ${email}`,
    );
    return stack.sink.to(email).filter((m) => m.subject.startsWith(subject));
  };

  const itemFor = (capacity: number) =>
    soonItem(stack.world, { capacity, space: 'room', type: 'round_table' });

  it('confirms with the check-in code (text and QR), an iTIP REQUEST, the city and the zone; moves and cancels by iTIP', async () => {
    const { setup, item } = await itemFor(1);
    const first = await stack.world.signup();
    const second = await stack.world.signup();
    const seat = await stack.world.ok(
      stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: first.token }),
    );
    const waiting = await stack.world.ok(
      stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: second.token }),
    );
    expect(waiting.status).toBe('waitlisted');

    const [confirmed] = await letter(first.email, 'Confirmed');
    expect(confirmed.text).toContain(`Your check-in code: ${seat.checkInCode}`);
    expect(qrOf(confirmed)).toEqual({
      filename: `check-in-${seat.checkInCode}.png`,
      text: seat.checkInCode,
    });
    const request = calendarOf(confirmed)!;
    expect(request).toMatchObject({
      method: 'REQUEST',
      uid: `${item.id}@pavilion`,
      sequence: item.version,
      status: 'CONFIRMED',
    });
    expect(request.contentType).toMatch(/^text\/calendar;.*method=REQUEST/i);
    // The place names the city; the time says its zone.
    expect(request.location).toBe(
      `Room, ${setup.tree.pavilion.name}, ${setup.tree.venue.name}, ${setup.tree.venue.city}`,
    );
    expect(confirmed.text).toContain(`${setup.tree.venue.name}, ${setup.tree.venue.city}`);
    expect(confirmed.subject).toMatch(/\d\d:\d\d \(UTC([+-]\d{1,2}(:\d\d)?)?\)$/);

    // The waitlisted person has no seat yet: neither a calendar entry nor a code to show.
    const [waitlisted] = await letter(second.email, 'Waitlisted');
    expect(calendarOf(waitlisted)).toBeUndefined();
    expect(qrOf(waitlisted)).toBeUndefined();

    // A move: REQUEST again, the same UID, a higher SEQUENCE.
    const later = new Date(new Date(item.startsAt).getTime() + 3600_000);
    const moved = await stack.world.ok(
      stack.api.patch(
        `/api/items/${item.id}`,
        { startsAt: later.toISOString(), endsAt: new Date(later.getTime() + 3600_000).toISOString() },
        { token: setup.organizer.token },
      ),
    );
    const [movedLetter] = await letter(first.email, 'Moved');
    expect(calendarOf(movedLetter)).toMatchObject({
      method: 'REQUEST',
      uid: request.uid,
      sequence: moved.version,
      status: 'CONFIRMED',
    });
    expect(moved.version).toBeGreaterThan(request.sequence);

    // The first cancels: CANCEL takes it out of their calendar; the second moves up, with code and REQUEST.
    expect(
      (await stack.api.delete(`/api/items/${item.id}/registrations/me`, { token: first.token })).status,
    ).toBe(204);
    const [cancelled] = await letter(first.email, 'Registration cancelled');
    const cancel = calendarOf(cancelled)!;
    expect(cancel).toMatchObject({ method: 'CANCEL', uid: request.uid, status: 'CANCELLED' });
    expect(cancel.sequence).toBeGreaterThanOrEqual(moved.version);
    expect(cancel.contentType).toMatch(/^text\/calendar;.*method=CANCEL/i);
    expect(qrOf(cancelled)).toBeUndefined();

    const [promoted] = await letter(second.email, 'A seat is yours');
    expect(promoted.text).toContain(`Your check-in code: ${waiting.checkInCode}`);
    expect(qrOf(promoted)?.text).toBe(waiting.checkInCode);
    expect(calendarOf(promoted)).toMatchObject({ method: 'REQUEST', uid: request.uid, status: 'CONFIRMED' });
  }, 90_000);

  it('takes a cancelled item out of its registrants’ calendars with CANCEL', async () => {
    const { setup, item } = await itemFor(5);
    const person = await stack.world.signup();
    await stack.world.ok(stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: person.token }));
    const [confirmed] = await letter(person.email, 'Confirmed');
    await stack.world.ok(
      stack.api.post(
        `/api/items/${item.id}/cancel`,
        { reason: 'The delegation was delayed' },
        { token: setup.organizer.token },
      ),
    );
    const [cancelled] = await letter(person.email, 'Cancelled');
    const cancel = calendarOf(cancelled)!;
    expect(cancel).toMatchObject({ method: 'CANCEL', uid: `${item.id}@pavilion`, status: 'CANCELLED' });
    expect(cancel.sequence).toBeGreaterThanOrEqual(calendarOf(confirmed)!.sequence);
  }, 60_000);
});
