import { Client } from 'pg';
import { expectProblem, TestApi } from '../support/api';
import { attendeesInDatabase } from '../support/attendees';
import { startWorld, VenueTree, World } from '../support/world';
import { pool } from '../support/pool';

describe('registration', () => {
  let api: TestApi;
  let world: World;
  let tree: VenueTree;
  let organizer: { organization: any; token: string };
  let programme: any;
  let db: Client;
  let slot = 0;

  beforeAll(async () => {
    ({ api, world } = await startWorld());
    tree = await world.venueTree({
      openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '24:00' })),
    });
    organizer = await world.organizer();
    programme = await world.programme(organizer, tree.pavilion, {
      startsOn: '2031-05-20',
      endsOn: '2031-05-22',
      publish: true,
    });
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  /** A new item in its own hour on 2031-05-20 (venue time), so items of different tests never overlap. */
  const newItem = (body: Record<string, unknown> = {}) => {
    const hour = String(slot++).padStart(2, '0');
    return world.item(organizer.token, programme, {
      type: 'round_table',
      title: `Round table ${hour}`,
      spaceId: tree.hall.id,
      startsAt: `2031-05-20T${hour}:00`,
      endsAt: `2031-05-20T${hour}:50`,
      ...body,
    });
  };
  const register = (itemId: string, token: string) =>
    api.post(`/api/items/${itemId}/registrations`, {}, { token });
  const attendees = (count: number) => pool(Array.from({ length: count }), 8, () => world.signup());

  // The crowd is written into the database with tokens: 200 sign-ups would spend a minute hashing passwords.
  it('never overbooks under a rush: 200 at once for 50 seats, then 10 cancellations promote 10 in order', async () => {
    const item = await newItem({ capacity: 50, title: 'Business forum rush' });
    const people = await attendeesInDatabase(db, 200);
    const results = await Promise.all(people.map((p) => register(item.id, p.token)));

    expect(results.map((r) => r.status).every((s) => s === 201)).toBe(true);
    const confirmed = results.filter((r) => r.body.status === 'confirmed');
    const waitlisted = results.filter((r) => r.body.status === 'waitlisted');
    expect(confirmed).toHaveLength(50);
    expect(waitlisted.map((r) => r.body.waitlistPosition).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 150 }, (_, i) => i + 1),
    );
    expect(await world.ok(api.get(`/api/items/${item.id}`))).toMatchObject({
      registeredCount: 50,
      seatsLeft: 0,
      waitlistCount: 150,
    });

    const byPosition = people
      .map((p, i) => ({ person: p, position: results[i].body.waitlistPosition as number | undefined }))
      .filter((x) => x.position !== undefined)
      .sort((a, b) => (a.position as number) - (b.position as number));
    const leavers = people.filter((_, i) => results[i].body.status === 'confirmed').slice(0, 10);
    const cancellations = await Promise.all(
      leavers.map((p) => api.delete(`/api/items/${item.id}/registrations/me`, { token: p.token })),
    );
    expect(cancellations.map((r) => r.status)).toEqual(Array(10).fill(204));

    const statusOf = async (token: string) =>
      (await world.ok(api.get('/api/me/registrations', { token }))).items.find(
        (r: any) => r.itemId === item.id,
      );
    for (const { person } of byPosition.slice(0, 10))
      expect((await statusOf(person.token)).status).toBe('confirmed');
    const eleventh = await statusOf(byPosition[10].person.token);
    expect(eleventh).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(await world.ok(api.get(`/api/items/${item.id}`))).toMatchObject({
      registeredCount: 50,
      seatsLeft: 0,
      waitlistCount: 140,
    });

    const counts = await db.query(
      `SELECT status, count(*)::int AS n FROM registrations WHERE item_id = $1 GROUP BY status ORDER BY status`,
      [item.id],
    );
    expect(counts.rows).toEqual([
      { status: 'cancelled', n: 10 },
      { status: 'confirmed', n: 50 },
      { status: 'waitlisted', n: 140 },
    ]);
    const outbox = await db.query(
      `SELECT kind, count(*)::int AS n FROM outbox WHERE item_id = $1 GROUP BY kind ORDER BY kind`,
      [item.id],
    );
    expect(outbox.rows).toEqual([
      { kind: 'registration_cancelled', n: 10 },
      { kind: 'registration_confirmed', n: 50 },
      { kind: 'waitlist_promoted', n: 10 },
      { kind: 'waitlisted', n: 150 },
    ]);
  });

  it('refuses a second registration, and registrations for cancelled, unpublished or closed items', async () => {
    const [person] = await attendees(1);
    const item = await newItem();
    expect((await register(item.id, person.token)).status).toBe(201);
    const twice = await register(item.id, person.token);
    expectProblem(twice, 409);
    expect(twice.body.type).toContain('already-registered');

    const doomed = await newItem();
    await world.ok(
      api.post(`/api/items/${doomed.id}/cancel`, { reason: 'Postponed' }, { token: organizer.token }),
    );
    expect((await register(doomed.id, person.token)).body).toMatchObject({
      status: 409,
      detail: expect.stringContaining('cancelled'),
    });

    const draft = await world.programme(organizer, tree.pavilion, {
      startsOn: '2031-05-20',
      endsOn: '2031-05-20',
    });
    const hidden = await world.item(organizer.token, draft, {
      type: 'other',
      title: 'Draft',
      spaceId: tree.room.id,
      startsAt: '2031-05-20T23:00',
      endsAt: '2031-05-20T23:30',
    });
    expectProblem(await register(hidden.id, person.token), 404);
    const own = await register(hidden.id, organizer.token);
    expectProblem(own, 409);
    expect(own.body.detail).toContain('not published');

    const notYet = await newItem({ registrationOpensAt: '2031-05-01T09:00' });
    const early = await register(notYet.id, person.token);
    expectProblem(early, 409);
    expect(early.body.detail).toContain('opens');
    const closed = await newItem({
      registrationOpensAt: '2020-01-01T09:00Z',
      registrationClosesAt: '2021-01-01T09:00Z',
    });
    expect((await register(closed.id, person.token)).body).toMatchObject({
      status: 409,
      type: expect.stringContaining('registration-closed'),
    });
    const past = await world.item(
      organizer.token,
      await world.programme(organizer, tree.pavilion, { publish: true }),
      {
        type: 'other',
        title: 'Past',
        spaceId: tree.hall.id,
        startsAt: '2017-08-15T10:00',
        endsAt: '2017-08-15T11:00',
      },
    );
    expectProblem(await register(past.id, person.token), 409);
    expectProblem(await register('00000000-0000-4000-8000-000000000000', person.token), 404);
  });

  it('refuses an overlap with a confirmed registration, naming it; drop-in items take none and never count', async () => {
    const [person] = await attendees(1);
    const hour = String(slot++).padStart(2, '0');
    const at = (body: Record<string, unknown>) =>
      world.item(organizer.token, programme, {
        type: 'round_table',
        startsAt: `2031-05-21T${hour}:00`,
        endsAt: `2031-05-21T${hour}:45`,
        ...body,
      });
    const first = await at({ title: 'Smart city round table', spaceId: tree.hall.id });
    const second = await at({ title: 'Machine-building round table', spaceId: tree.room.id });
    expect((await register(first.id, person.token)).status).toBe(201);
    const clash = await register(second.id, person.token);
    expectProblem(clash, 409);
    expect(clash.body.type).toContain('registration-overlap');
    expect(clash.body.conflicts).toEqual([
      expect.objectContaining({
        itemId: first.id,
        title: 'Smart city round table',
        startsAt: `2031-05-21T${hour}:00:00+05:00`,
      }),
    ]);

    await world.ok(
      api.patch(`/api/items/${first.id}`, { registrationRequired: false }, { token: organizer.token }),
    );
    expect((await register(second.id, person.token)).status).toBe(201);
    const dropIn = await register(first.id, (await attendees(1))[0].token);
    expectProblem(dropIn, 409);
    expect(dropIn.body.detail).toContain('drop-in');
  });

  it('promotes as many as fit when capacity rises, and refuses to drop below the confirmed', async () => {
    const item = await newItem({ capacity: 2 });
    const people = await attendees(5);
    for (const p of people) await world.ok(register(item.id, p.token));
    const lower = await api.patch(`/api/items/${item.id}`, { capacity: 1 }, { token: organizer.token });
    expectProblem(lower, 409);
    expect(lower.body.errors[0].field).toBe('capacity');

    const raised = await world.ok(
      api.patch(`/api/items/${item.id}`, { capacity: 4 }, { token: organizer.token }),
    );
    expect(raised).toMatchObject({ capacity: 4, registeredCount: 4, waitlistCount: 1, seatsLeft: 0 });
    const statuses = await Promise.all(
      people.map(
        async (p) => (await world.ok(api.get('/api/me/registrations', { token: p.token }))).items[0],
      ),
    );
    expect(statuses.map((s: any) => s.status)).toEqual([
      'confirmed',
      'confirmed',
      'confirmed',
      'confirmed',
      'waitlisted',
    ]);
    expect(statuses[4].waitlistPosition).toBe(1);
    expect(
      (
        await api.patch(
          `/api/items/${item.id}`,
          { capacity: 4, title: 'Same size' },
          { token: organizer.token },
        )
      ).status,
    ).toBe(200);
  });

  it('cancels every registration with the item, in the same transaction', async () => {
    const item = await newItem({ capacity: 1 });
    const [a, b] = await attendees(2);
    await world.ok(register(item.id, a.token));
    await world.ok(register(item.id, b.token));
    await world.ok(
      api.post(
        `/api/items/${item.id}/cancel`,
        { reason: 'The speaker cannot travel' },
        { token: organizer.token },
      ),
    );
    for (const p of [a, b]) {
      const mine = await world.ok(api.get('/api/me/registrations', { token: p.token }));
      expect(mine.items[0]).toMatchObject({
        itemId: item.id,
        status: 'cancelled',
        item: { status: 'cancelled' },
      });
    }
    expect(await world.ok(api.get(`/api/items/${item.id}`))).toMatchObject({
      registeredCount: 0,
      waitlistCount: 0,
      seatsLeft: 0,
    });
    const events = await db.query(
      `SELECT kind, payload FROM outbox WHERE item_id = $1 AND kind = 'item_cancelled'`,
      [item.id],
    );
    expect(events.rows).toEqual([
      { kind: 'item_cancelled', payload: { reason: 'The speaker cannot travel' } },
    ]);
  });

  it('gives organizers the registrants, as a page and as a streamed CSV', async () => {
    const item = await newItem({ capacity: 1 });
    const first = await world.signup({ displayName: 'Nurlan "Nur", Jr.' });
    const [second] = await attendees(1);
    await world.ok(register(item.id, first.token));
    await world.ok(register(item.id, second.token));

    const page = await world.ok(
      api.get(`/api/items/${item.id}/registrations?limit=1`, { token: organizer.token }),
    );
    expect(page.items).toEqual([
      expect.objectContaining({ displayName: 'Nurlan "Nur", Jr.', status: 'confirmed', checkedInAt: null }),
    ]);
    const next = await world.ok(
      api.get(`/api/items/${item.id}/registrations?cursor=${page.nextCursor}`, { token: organizer.token }),
    );
    expect(next.items).toEqual([
      expect.objectContaining({ email: second.email, status: 'waitlisted', waitlistPosition: 1 }),
    ]);
    const onlyWaitlist = await world.ok(
      api.get(`/api/items/${item.id}/registrations?status=waitlisted`, { token: organizer.token }),
    );
    expect(onlyWaitlist.items).toHaveLength(1);

    const csv = await api.get(`/api/items/${item.id}/registrations.csv`, { token: organizer.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('attachment');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'registrationId,displayName,email,status,waitlistPosition,checkInCode,checkedInAt,registeredAt',
    );
    expect(lines[1]).toContain('"Nurlan ""Nur"", Jr."');
    expect(lines[2]).toContain(`${second.email},waitlisted,1,`);
    expect(lines).toHaveLength(3);
  });

  it('checks in by code or registration id, once, and only the confirmed', async () => {
    const item = await newItem({ capacity: 2 });
    const [a, b, c] = await attendees(3);
    const ra = await world.ok(register(item.id, a.token));
    const rb = await world.ok(register(item.id, b.token));
    const rc = await world.ok(register(item.id, c.token));
    expect(ra.checkInCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);

    const byCode = await api.post(
      `/api/items/${item.id}/check-ins`,
      { code: ra.checkInCode.toLowerCase() },
      { token: organizer.token },
    );
    expect(byCode.status).toBe(201);
    expect(byCode.body).toMatchObject({ id: ra.id, checkedInAt: expect.stringMatching(/\+05:00$/) });
    const again = await api.post(
      `/api/items/${item.id}/check-ins`,
      { code: ra.checkInCode },
      { token: organizer.token },
    );
    expectProblem(again, 409);
    expect(again.body.type).toContain('already-checked-in');
    expect(
      (
        await api.post(
          `/api/items/${item.id}/check-ins`,
          { registrationId: rb.id },
          { token: organizer.token },
        )
      ).status,
    ).toBe(201);
    expectProblem(
      await api.post(
        `/api/items/${item.id}/check-ins`,
        { registrationId: rc.id },
        { token: organizer.token },
      ),
      409,
    );
    expectProblem(
      await api.post(`/api/items/${item.id}/check-ins`, { code: 'ZZZZZZZZ' }, { token: organizer.token }),
      404,
    );
    expectProblem(await api.post(`/api/items/${item.id}/check-ins`, {}, { token: organizer.token }), 400);
    expectProblem(
      await api.post(
        `/api/items/${item.id}/check-ins`,
        { code: ra.checkInCode, registrationId: ra.id },
        { token: organizer.token },
      ),
      400,
    );
    const list = await world.ok(
      api.get(`/api/items/${item.id}/registrations?status=confirmed`, { token: organizer.token }),
    );
    expect(list.items.every((r: any) => r.checkedInAt)).toBe(true);
  });

  it('lets an attendee cancel only a registration they hold', async () => {
    const item = await newItem();
    const [person] = await attendees(1);
    expectProblem(await api.delete(`/api/items/${item.id}/registrations/me`, { token: person.token }), 404);
    await world.ok(register(item.id, person.token));
    expect((await api.delete(`/api/items/${item.id}/registrations/me`, { token: person.token })).status).toBe(
      204,
    );
    expectProblem(await api.delete(`/api/items/${item.id}/registrations/me`, { token: person.token }), 404);
    expect((await register(item.id, person.token)).status).toBe(201);
  });
});
