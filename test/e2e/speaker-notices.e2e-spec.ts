import { DateTime } from 'luxon';
import { calendarOf } from '../support/calendar-part';
import { until } from '../support/smtp-sink';
import { NotificationStack, soonProgramme } from '../support/stack';

/**
 * Speakers with an e-mail are told when their items move or are cancelled, like registrants: by e-mail, in
 * their language, once per change (the net change of edits close together), never of a time no longer current,
 * and one letter, not two, to a speaker who also registered for the item.
 */
describe('speakers hear of their items moving or being cancelled', () => {
  let stack: NotificationStack;
  let setup: Awaited<ReturnType<typeof soonProgramme>>;

  beforeAll(async () => {
    stack = await NotificationStack.start('speakers');
    setup = await soonProgramme(stack.world);
  }, 120_000);
  afterAll(() => stack.close());

  let slot = 0;
  /** A speaker with this address (responses never show a speaker's address: it is kept here). */
  const speaker = async (email: string, name = `Speaker ${++slot}`) => ({
    ...(await stack.world.ok(
      stack.api.post('/api/speakers', { name, affiliation: 'SUSU', email }, { token: setup.organizer.token }),
    )),
    email,
  });
  /** An item in two hours in a room of its own, with these speakers (in the published programme, by default). */
  const itemWith = async (speakerIds: string[], programmeId: string = setup.programme.id) => {
    const room = await stack.world.ok(
      stack.api.post(
        `/api/pavilions/${setup.tree.pavilion.id}/spaces`,
        { name: `Room ${++slot}`, capacity: 50, kind: 'round_table' },
        { token: await stack.world.adminToken() },
      ),
    );
    const start = new Date(Math.ceil((Date.now() + 2 * 3600_000) / 60_000) * 60_000);
    return stack.world.ok(
      stack.api.post(
        `/api/programmes/${programmeId}/items`,
        {
          type: 'round_table',
          title: `Energy of the future ${slot}`,
          spaceId: room.id,
          startsAt: start.toISOString(),
          endsAt: new Date(start.getTime() + 1800_000).toISOString(),
          speakerIds,
        },
        { token: setup.organizer.token },
      ),
    );
  };
  const moveTo = (item: any, hoursLater: number) => {
    const start = new Date(new Date(item.startsAt).getTime() + hoursLater * 3600_000);
    return stack.world.ok(
      stack.api.patch(
        `/api/items/${item.id}`,
        { startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 1800_000).toISOString() },
        { token: setup.organizer.token },
      ),
    );
  };
  const hhmm = (item: any, hoursLater: number) =>
    DateTime.fromISO(item.startsAt, { setZone: true }).plus({ hours: hoursLater }).toFormat('HH:mm');
  const letters = (email: string, subject: string) =>
    stack.sink.to(email).filter((m) => m.subject.startsWith(subject));

  it('tells each speaker with an e-mail of the net move once, in their language, then of the cancellation', async () => {
    // One speaker's address has an account in Russian; the other's has none (the programme's language: English).
    const russian = await stack.world.signup({ locale: 'ru' });
    const [ru, en] = [await speaker(russian.email), await speaker(`speaker-${Date.now()}@e2e.test`)];
    const silent = await stack.world.ok(
      stack.api.post('/api/speakers', { name: 'No address' }, { token: setup.organizer.token }),
    );
    const item = await itemWith([ru.id, en.id, silent.id]);
    // Two edits inside the change window: one notice of the net change.
    await moveTo(item, 1);
    const moved = await moveTo(item, 2);
    await stack.sink.waitFor(
      () => letters(ru.email, 'Перенесено').length > 0 && letters(en.email, 'Moved').length > 0,
      30_000,
      'both change notices',
    );
    await stack.deliveriesSettled(item.id);
    const [ruLetter, ...ruMore] = letters(ru.email, 'Перенесено');
    const [enLetter, ...enMore] = letters(en.email, 'Moved');
    expect([...ruMore, ...enMore]).toEqual([]);
    expect(ruLetter.text).toContain('Мероприятие, в котором вы выступаете, перенесено.');
    expect(ruLetter.text).toContain(`Здравствуйте, ${ru.name}!`);
    expect(enLetter.text).toContain('An item you speak at has been moved.');
    for (const text of [ruLetter.text, enLetter.text]) {
      expect(text).toContain(hhmm(item, 0));
      expect(text).toContain(hhmm(item, 2));
      expect(text).not.toContain(hhmm(item, 1));
    }
    expect(calendarOf(enLetter)).toMatchObject({
      method: 'REQUEST',
      uid: `${item.id}@pavilion`,
      sequence: moved.version,
    });

    await stack.world.ok(
      stack.api.post(
        `/api/items/${item.id}/cancel`,
        { reason: 'The speakers’ flight was cancelled' },
        { token: setup.organizer.token },
      ),
    );
    await stack.sink.waitFor(
      () => letters(ru.email, 'Отменено').length > 0 && letters(en.email, 'Cancelled').length > 0,
      30_000,
      'both cancellation notices',
    );
    await stack.deliveriesSettled(item.id);
    expect(letters(en.email, 'Cancelled')).toHaveLength(1);
    expect(letters(ru.email, 'Отменено')).toHaveLength(1);
    expect(letters(en.email, 'Cancelled')[0].text).toContain('The speakers’ flight was cancelled');
    // Only e-mail: speakers have no in-app list.
    const { rows } = await stack.db.query(
      `SELECT DISTINCT channel FROM deliveries WHERE item_id = $1 AND speaker_id IS NOT NULL`,
      [item.id],
    );
    expect(rows).toEqual([{ channel: 'email' }]);
  }, 120_000);

  it('counts a speaker told only once the notice is sent: a notice gone stale leaves the next one from what they knew', async () => {
    const s = await speaker(`speaker-stale-${Date.now()}@e2e.test`);
    const item = await itemWith([s.id]);
    const pending = async (version: number) =>
      (
        await stack.db.query(
          `SELECT 1 FROM deliveries WHERE item_id = $1 AND item_version = $2 AND speaker_id IS NOT NULL
              AND status = 'pending'`,
          [item.id, version],
        )
      ).rowCount;
    await stack.pauseSending(true);
    try {
      const second = await moveTo(item, 1);
      await until(async () => ((await pending(second.version)) ? true : undefined), 15_000, 'the notice');
      await moveTo(item, 2);
    } finally {
      await stack.pauseSending(false);
    }
    await stack.sink.waitFor(() => letters(s.email, 'Moved').length > 0, 20_000, 'the change notice');
    await stack.deliveriesSettled(item.id);
    const [notice, ...more] = letters(s.email, 'Moved');
    expect(more).toEqual([]);
    expect(notice.text).toContain(hhmm(item, 0));
    expect(notice.text).toContain(hhmm(item, 2));
    expect(notice.text).not.toContain(hhmm(item, 1));
    const { rows } = await stack.db.query(
      `SELECT item_version, status, last_error FROM deliveries
        WHERE item_id = $1 AND kind = 'item_rescheduled' AND speaker_id IS NOT NULL ORDER BY item_version`,
      [item.id],
    );
    expect(rows).toEqual([
      { item_version: 2, status: 'skipped', last_error: 'item changed since' },
      { item_version: 3, status: 'sent', last_error: null },
    ]);
  }, 90_000);

  it('keeps a draft’s moves from its speakers until publication, which tells them the net change once', async () => {
    const s = await speaker(`speaker-draft-${Date.now()}@e2e.test`);
    const { startsOn, endsOn } = setup.programme;
    const draft = await stack.world.ok(
      stack.api.post(
        '/api/programmes',
        {
          organizationId: setup.organizer.organization.id,
          pavilionId: setup.tree.pavilion.id,
          title: 'A draft being arranged',
          startsOn,
          endsOn,
        },
        { token: setup.organizer.token },
      ),
    );
    const item = await itemWith([s.id], draft.id);
    await moveTo(item, 1);
    await moveTo(item, 2);
    // The change notice has run for the draft's item, and told its speaker nothing.
    await until(
      async () => ((await stack.workerQueueJob(`change-${item.id}`, 'completed')) ? true : undefined),
      15_000,
      'the change notice job',
    );
    const speakerRows = async () =>
      (await stack.db.query(`SELECT 1 FROM deliveries WHERE speaker_id = $1`, [s.id])).rowCount;
    expect(await speakerRows()).toBe(0);

    await stack.world.ok(
      stack.api.post(`/api/programmes/${draft.id}/publish`, {}, { token: setup.organizer.token }),
    );
    await stack.sink.waitFor(() => letters(s.email, 'Moved').length > 0, 30_000, 'the notice at publication');
    await stack.deliveriesSettled(item.id);
    const [notice, ...more] = letters(s.email, 'Moved');
    expect(more).toEqual([]);
    expect(notice.text).toContain(hhmm(item, 0));
    expect(notice.text).toContain(hhmm(item, 2));
    expect(notice.text).not.toContain(hhmm(item, 1));
  }, 90_000);

  it('sends a speaker who also registered for the item one letter for a change, as a registrant', async () => {
    const person = await stack.world.signup();
    const s = await speaker(person.email);
    const item = await itemWith([s.id]);
    await stack.world.ok(stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: person.token }));
    await moveTo(item, 1);
    await stack.sink.waitFor(() => letters(person.email, 'Moved').length > 0, 30_000, 'the change notice');
    await stack.deliveriesSettled(item.id);
    const [notice, ...more] = letters(person.email, 'Moved');
    expect(more).toEqual([]);
    expect(notice.text).toContain('The event has been moved.');
    const { rows } = await stack.db.query(
      `SELECT count(*)::int AS n FROM deliveries WHERE item_id = $1 AND speaker_id IS NOT NULL`,
      [item.id],
    );
    expect(rows[0].n).toBe(0);
  }, 90_000);
});
