import { attendeesInDatabase } from '../support/attendees';
import { NotificationStack, soonProgramme } from '../support/stack';

/** SMTP_MAX_PER_SECOND of this stack's worker. */
const CAP = 10;
/** Every reminder here is due a minute before its item starts (the earliest bound is then 15 s, REMINDER_MAX_EARLY aside). */
const OFFSET_MS = 60_000;

describe('reminders under SMTP_MAX_PER_SECOND: they start early enough to finish by their due time', () => {
  let stack: NotificationStack;
  let setup: Awaited<ReturnType<typeof soonProgramme>>;

  beforeAll(async () => {
    stack = await NotificationStack.start('reminder-cap', { SMTP_MAX_PER_SECOND: String(CAP) });
    setup = await soonProgramme(stack.world, { reminderOffsetsMinutes: [1] });
  });
  afterAll(() => stack.close());

  let slot = 0;
  /**
   * An item of `seats` due `dueInSeconds` from now, with `crowd` confirmed straight in the tables (no
   * confirmation letters to share the cap), and one registration through the API, whose event schedules the
   * reminder. Returns the item, its due time, everyone who should be reminded, and when the API answered.
   */
  async function remindedItem(seats: number, crowd: number, dueInSeconds: number) {
    const admin = await stack.world.adminToken();
    const space = await stack.world.ok(
      stack.api.post(
        `/api/pavilions/${setup.tree.pavilion.id}/spaces`,
        { name: `Capped hall ${++slot}`, capacity: seats, kind: 'hall' },
        { token: admin },
      ),
    );
    const people = await attendeesInDatabase(stack.db, crowd + 1);
    const startsAt = new Date(Math.ceil((Date.now() + OFFSET_MS + dueInSeconds * 1000) / 1000) * 1000);
    const item = await stack.world.ok(
      stack.api.post(
        `/api/programmes/${setup.programme.id}/items`,
        {
          type: 'business_forum',
          title: `Business energy ${slot}`,
          spaceId: space.id,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 3600_000).toISOString(),
          capacity: seats,
        },
        { token: setup.organizer.token },
      ),
    );
    const [trigger, ...seated] = people;
    await stack.db.query(
      `INSERT INTO registrations (item_id, user_id, status, check_in_code)
       SELECT $1, u, 'confirmed', upper(lpad(to_hex(n::int), 8, '0')) FROM unnest($2::uuid[]) WITH ORDINALITY AS t(u, n)`,
      [item.id, seated.map((p) => p.id)],
    );
    await stack.db.query('UPDATE programme_items SET confirmed_count = $2 WHERE id = $1', [item.id, crowd]);
    await stack.world.ok(stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: trigger.token }));
    return { item, dueAt: startsAt.getTime() - OFFSET_MS, people, registeredAt: Date.now() };
  }

  const reminders = (emails: string[]) =>
    stack.sink.messages.filter((m) => emails.includes(m.to) && m.subject.startsWith('Reminder'));
  /** Waits for one reminder to each, and returns their arrival times in order. */
  async function arrivals(emails: string[], timeoutMs: number): Promise<number[]> {
    await stack.sink.waitFor(
      () => new Set(reminders(emails).map((m) => m.to)).size === emails.length,
      timeoutMs,
      'every reminder',
    );
    return reminders(emails)
      .map((m) => m.receivedAt)
      .sort((a, b) => a - b);
  }

  it('40 letters at 10 a second begin before the due time and the last is out by it', async () => {
    const { item, dueAt, people } = await remindedItem(40, 39, 25);
    const emails = people.map((p) => p.email);
    const times = await arrivals(emails, 60_000);
    await stack.deliveriesSettled(item.id);
    expect(reminders(emails)).toHaveLength(40);
    // Four seconds of the cap, planned to end two seconds before the due time: they begin about six before it.
    expect(times[0]).toBeLessThan(dueAt - 3000);
    expect(times[times.length - 1]).toBeLessThanOrEqual(dueAt);
    // Paced, not all at once: 40 letters at 10 a second span at least three one-second windows.
    expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(2500);
    // Nobody gets one sooner than the earliest bound, a quarter of the minute's lead.
    expect(times[0]).toBeGreaterThanOrEqual(dueAt - 15_000);
  });

  it('when the cap cannot make it, sends from the moment it may and the last is late by no more than it must be', async () => {
    // 80 letters need 8 s of the cap; the due time is about 5 s away when the reminder is scheduled.
    const { item, dueAt, people, registeredAt } = await remindedItem(80, 79, 5);
    const emails = people.map((p) => p.email);
    const times = await arrivals(emails, 60_000);
    await stack.deliveriesSettled(item.id);
    expect(reminders(emails)).toHaveLength(80);
    // It does not wait for the due time: the first letters leave as soon as the fan-out has run (about a second
    // after the registration here; three on a busy machine).
    expect(times[0]).toBeLessThan(dueAt);
    expect(times[0]).toBeLessThan(registeredAt + 3000);
    // Late, as the cap makes it: the last letter after the due time, yet no later than the 8 s the cap needs
    // from the fan-out's start (a second after the registration at most), a second for the cap's one-second
    // windows, and a second of slack for a busy machine.
    expect(times[times.length - 1]).toBeGreaterThan(dueAt);
    expect(times[times.length - 1]).toBeLessThanOrEqual(registeredAt + 1000 + 8000 + 1000 + 1000);
  });

  it('an item moved after its early fan-out never gets a reminder for the old time', async () => {
    // 400 seats would take 40 s: the fan-out fires 18 s early (the 15 s bound and its lead); the 31 letters
    // are planned for the last 5 s before the due time.
    const { item, dueAt, people } = await remindedItem(400, 30, 25);
    const emails = people.map((p) => p.email);
    await stack.fanoutDone(item.id, 30_000);
    const written = await stack.db.query(
      `SELECT count(*)::int AS n FROM deliveries WHERE item_id = $1 AND kind = 'reminder' AND channel = 'email'`,
      [item.id],
    );
    expect(written.rows[0].n).toBe(31);
    const later = new Date(new Date(item.startsAt).getTime() + 3600_000);
    await stack.world.ok(
      stack.api.patch(
        `/api/items/${item.id}`,
        { startsAt: later.toISOString(), endsAt: new Date(later.getTime() + 3600_000).toISOString() },
        { token: setup.organizer.token },
      ),
    );
    expect(Date.now()).toBeLessThan(dueAt - 5000);

    // Each is told of the move; the old reminders come due, are claimed, and found stale.
    await stack.sink.waitFor(
      () => emails.every((e) => stack.sink.to(e).some((m) => m.subject.startsWith('Moved'))),
      30_000,
      'every change notice',
    );
    await stack.deliveriesSettled(item.id);
    expect(Date.now()).toBeGreaterThan(dueAt - 5000);
    expect(reminders(emails)).toEqual([]);
    const { rows } = await stack.db.query(
      `SELECT item_version AS version, status, last_error AS error, count(*)::int AS n FROM deliveries
        WHERE item_id = $1 AND kind = 'reminder' GROUP BY 1, 2, 3`,
      [item.id],
    );
    // One row a person (its letter's; the in-app notice it carried, skipped too, is not written).
    expect(rows).toEqual([{ version: 1, status: 'skipped', error: 'item changed since', n: 31 }]);
  });
});
