import { expectProblem, TestApi } from '../support/api';
import { startPlacedWorld, VenueTree, World } from '../support/world';

describe('programme building: scheduling rules', () => {
  let api: TestApi;
  let world: World;
  let tree: VenueTree;
  let organizer: { organization: any; token: string };
  let programme: any;

  beforeAll(async () => {
    ({ api, world, tree, organizer } = await startPlacedWorld());
    programme = await world.programme(organizer, tree.pavilion, {
      startsOn: '2017-08-15',
      endsOn: '2017-08-16',
    });
  });
  afterAll(() => api.close());

  const createItem = (body: Record<string, unknown>, token = organizer.token, programmeId = programme.id) =>
    api.post(
      `/api/programmes/${programmeId}/items`,
      { type: 'round_table', title: 'Round table', spaceId: tree.hall.id, ...body },
      { token },
    );

  it('creates an item in venue time with version 1 and the space capacity as default', async () => {
    const res = await createItem({
      startsAt: '2017-08-15T10:00',
      endsAt: '2017-08-15T11:00',
      spaceId: tree.room.id,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      startsAt: '2017-08-15T10:00:00+06:00',
      endsAt: '2017-08-15T11:00:00+06:00',
      timezone: 'Asia/Almaty',
      capacity: 20,
      version: 1,
      status: 'scheduled',
      space: { id: tree.room.id, name: 'Room', kind: 'round_table' },
    });
  });

  it('refuses to book a space twice and names the item in the way', async () => {
    const first = await world.ok(
      createItem({ title: 'Business forum', startsAt: '2017-08-15T12:00', endsAt: '2017-08-15T13:00' }),
    );
    const res = await createItem({ startsAt: '2017-08-15T12:30', endsAt: '2017-08-15T13:30' });
    expectProblem(res, 409);
    expect(res.body.type).toContain('space-double-booked');
    expect(res.body.conflicts).toEqual([
      expect.objectContaining({
        itemId: first.id,
        title: 'Business forum',
        startsAt: '2017-08-15T12:00:00+06:00',
        endsAt: '2017-08-15T13:00:00+06:00',
      }),
    ]);
    // Touching ranges do not overlap.
    expect((await createItem({ startsAt: '2017-08-15T13:00', endsAt: '2017-08-15T13:30' })).status).toBe(201);
  });

  it('refuses a speaker in two items at once, across spaces and programmes', async () => {
    const speaker = await world.speaker(organizer.token, 'Boris Dubrovsky');
    const opening = await world.ok(
      createItem({
        title: 'Opening',
        type: 'opening_ceremony',
        startsAt: '2017-08-15T15:00',
        endsAt: '2017-08-15T16:00',
        speakerIds: [speaker.id],
      }),
    );
    const other = await world.organizer();
    const otherProgramme = await world.programme(other, tree.pavilion);
    const res = await createItem(
      {
        spaceId: tree.room.id,
        startsAt: '2017-08-15T15:30',
        endsAt: '2017-08-15T16:30',
        speakerIds: [speaker.id],
      },
      other.token,
      otherProgramme.id,
    );
    expectProblem(res, 409);
    expect(res.body.type).toContain('speaker-double-booked');
    expect(res.body.conflicts).toEqual([
      expect.objectContaining({ itemId: opening.id, reason: expect.stringContaining('Boris Dubrovsky') }),
    ]);
  });

  it('lets exactly one of concurrent requests for the same slot win', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        createItem({ title: `Racer ${i}`, startsAt: '2017-08-16T10:00', endsAt: '2017-08-16T11:00' }),
      ),
    );
    const statuses = attempts.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(11);
    for (const loser of attempts.filter((r) => r.status === 409))
      expect(loser.body.conflicts).toHaveLength(1);
  });

  it('lets exactly one of concurrent requests win a speaker', async () => {
    const speaker = await world.speaker(organizer.token);
    const attempts = await Promise.all(
      [tree.hall.id, tree.room.id].map((spaceId, i) =>
        createItem({
          title: `Speaker race ${i}`,
          spaceId,
          startsAt: '2017-08-16T19:00',
          endsAt: '2017-08-16T20:00',
          speakerIds: [speaker.id],
        }),
      ),
    );
    expect(attempts.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('keeps items inside the programme dates and the opening hours', async () => {
    const before = await createItem({ startsAt: '2017-08-14T10:00', endsAt: '2017-08-14T11:00' });
    expectProblem(before, 400);
    expect(before.body.type).toContain('outside-programme-dates');
    const after = await createItem({ startsAt: '2017-08-17T10:00', endsAt: '2017-08-17T11:00' });
    expect(after.body.type).toContain('outside-programme-dates');
    const early = await createItem({ startsAt: '2017-08-15T08:00', endsAt: '2017-08-15T09:30' });
    expectProblem(early, 400);
    expect(early.body.type).toContain('outside-opening-hours');
    const late = await createItem({ startsAt: '2017-08-15T20:30', endsAt: '2017-08-15T21:30' });
    expect(late.body.type).toContain('outside-opening-hours');
  });

  it('uses the hours of a specific date over the weekday rule', async () => {
    const special = await world.venueTree({
      openingHours: [
        { weekday: 2, opens: '10:00', closes: '18:00' },
        { date: '2017-08-15', opens: '12:00', closes: '23:00' },
      ],
    });
    const own = await world.programme(organizer, special.pavilion);
    const at = (startsAt: string, endsAt: string) =>
      createItem({ spaceId: special.hall.id, startsAt, endsAt }, organizer.token, own.id);
    expect((await at('2017-08-15T10:00', '2017-08-15T11:00')).body.type).toContain('outside-opening-hours');
    expect((await at('2017-08-15T21:00', '2017-08-15T22:30')).status).toBe(201);
  });

  it('requires endsAt after startsAt and capacity within the space', async () => {
    const backwards = await createItem({ startsAt: '2017-08-15T18:00', endsAt: '2017-08-15T17:00' });
    expectProblem(backwards, 400);
    expect(backwards.body.type).toContain('invalid-time-range');
    const big = await createItem({
      spaceId: tree.room.id,
      capacity: 21,
      startsAt: '2017-08-15T18:00',
      endsAt: '2017-08-15T19:00',
    });
    expectProblem(big, 400);
    expect(big.body.errors).toEqual([expect.objectContaining({ field: 'capacity' })]);
  });

  it('frees the slot of a cancelled item for a new booking', async () => {
    const item = await world.ok(
      createItem({ title: 'Will be cancelled', startsAt: '2017-08-16T12:00', endsAt: '2017-08-16T13:00' }),
    );
    expectProblem(await createItem({ startsAt: '2017-08-16T12:00', endsAt: '2017-08-16T13:00' }), 409);
    const cancelled = await api.post(
      `/api/items/${item.id}/cancel`,
      { reason: 'Speaker cannot travel' },
      { token: organizer.token },
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Speaker cannot travel' });
    expect((await createItem({ startsAt: '2017-08-16T12:00', endsAt: '2017-08-16T13:00' })).status).toBe(201);
    expectProblem(
      await api.post(`/api/items/${item.id}/cancel`, { reason: 'again' }, { token: organizer.token }),
      409,
    );
    expectProblem(await api.patch(`/api/items/${item.id}`, { title: 'x' }, { token: organizer.token }), 409);
  });

  it('increments the version when time or space changes, and only then', async () => {
    const item = await world.ok(
      createItem({
        title: 'Negotiations',
        type: 'negotiations',
        startsAt: '2017-08-16T15:00',
        endsAt: '2017-08-16T16:00',
      }),
    );
    const renamed = await world.ok(
      api.patch(
        `/api/items/${item.id}`,
        { title: 'Negotiations on the air flight', capacity: 50 },
        { token: organizer.token },
      ),
    );
    expect(renamed).toMatchObject({ title: 'Negotiations on the air flight', capacity: 50, version: 1 });
    const same = await world.ok(
      api.patch(`/api/items/${item.id}`, { startsAt: '2017-08-16T15:00+06:00' }, { token: organizer.token }),
    );
    expect(same.version).toBe(1);
    const moved = await world.ok(
      api.patch(
        `/api/items/${item.id}`,
        { startsAt: '2017-08-16T16:00', endsAt: '2017-08-16T17:00' },
        { token: organizer.token },
      ),
    );
    expect(moved).toMatchObject({ version: 2, startsAt: '2017-08-16T16:00:00+06:00' });
    const rehoused = await world.ok(
      api.patch(`/api/items/${item.id}`, { spaceId: tree.room.id, capacity: 20 }, { token: organizer.token }),
    );
    expect(rehoused.version).toBe(3);
    const fetched = await world.ok(api.get(`/api/items/${item.id}`, { token: organizer.token }));
    expect(fetched).toMatchObject({ version: 3, spaceId: tree.room.id });
  });

  it('refuses a reschedule onto a booked slot without changing the item', async () => {
    const a = await world.ok(
      createItem({ title: 'A', startsAt: '2017-08-16T17:00', endsAt: '2017-08-16T18:00' }),
    );
    const b = await world.ok(
      createItem({ title: 'B', startsAt: '2017-08-16T18:00', endsAt: '2017-08-16T19:00' }),
    );
    const res = await api.patch(
      `/api/items/${b.id}`,
      { startsAt: '2017-08-16T17:30' },
      { token: organizer.token },
    );
    expectProblem(res, 409);
    expect(res.body.conflicts[0].itemId).toBe(a.id);
    expect((await world.ok(api.get(`/api/items/${b.id}`, { token: organizer.token }))).version).toBe(1);
  });

  it('refuses programme dates that would strand items', async () => {
    const res = await api.patch(
      `/api/programmes/${programme.id}`,
      { endsOn: '2017-08-15' },
      { token: organizer.token },
    );
    expectProblem(res, 409);
    expect(res.body.conflicts.length).toBeGreaterThan(0);
  });
});
