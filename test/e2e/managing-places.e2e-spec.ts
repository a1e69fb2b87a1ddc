import { DateTime } from 'luxon';
import { expectProblem, TestApi } from '../support/api';
import { startWorld, World } from '../support/world';

/** Everyday management of venues, pavilions, spaces and speakers (API.md): edits, deletes, and their refusals. */
describe('managing places and speakers', () => {
  let api: TestApi;
  let world: World;
  let admin: string;

  beforeAll(async () => {
    ({ api, world } = await startWorld());
    admin = await world.adminToken();
  });
  afterAll(() => api.close());

  const day = DateTime.utc().plus({ days: 3 }).toISODate() as string;

  /** A UTC venue, an organizer, a published programme around `day` and one past (2017). */
  async function setUp() {
    const tree = await world.venueTree({ timezone: 'UTC' });
    const organizer = await world.organizer();
    const future = await world.programme(organizer, tree.pavilion, {
      startsOn: day,
      endsOn: day,
      publish: true,
    });
    const past = await world.programme(organizer, tree.pavilion, { publish: true });
    const item = (programme: any, title: string, spaceId: string, at: string, extra = {}) =>
      world.item(organizer.token, programme, {
        type: 'presentation',
        title,
        spaceId,
        startsAt: `${at}T10:00`,
        endsAt: `${at}T11:00`,
        ...extra,
      });
    return { tree, organizer, future, past, item };
  }

  const conflictIds = (res: { body: any }) => (res.body.conflicts ?? []).map((c: any) => c.itemId);

  it('edits a venue; its timezone cannot change under future items, and a venue with future items is not deleted', async () => {
    const { tree, future, item } = await setUp();
    const renamed = await api.patch(
      `/api/venues/${tree.venue.id}`,
      { name: 'EXPO renamed', city: 'Nur-Sultan' },
      { token: admin },
    );
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'EXPO renamed', city: 'Nur-Sultan', timezone: 'UTC' });

    const talk = await item(future, 'Future talk', tree.hall.id, day);
    const moved = await api.patch(
      `/api/venues/${tree.venue.id}`,
      { timezone: 'Asia/Almaty' },
      { token: admin },
    );
    expectProblem(moved, 409);
    expect(conflictIds(moved)).toEqual([talk.id]);

    const refused = await api.delete(`/api/venues/${tree.venue.id}`, { token: admin });
    expectProblem(refused, 409);
    expect(conflictIds(refused)).toEqual([talk.id]);
    expectProblem(await api.patch(`/api/venues/${tree.venue.id}`, { name: '' }, { token: admin }), 400);
    // An empty edit changes nothing.
    expect((await api.patch(`/api/venues/${tree.venue.id}`, {}, { token: admin })).body.name).toBe(
      'EXPO renamed',
    );
    expect((await api.patch(`/api/spaces/${tree.room.id}`, {}, { token: admin })).status).toBe(200);
    expect((await api.patch(`/api/pavilions/${tree.pavilion.id}`, {}, { token: admin })).status).toBe(200);
    expect(
      (await api.patch(`/api/speakers/${(await world.speaker(admin)).id}`, {}, { token: admin })).status,
    ).toBe(200);
  });

  it('deletes an unused venue outright, and archives one whose past items must keep their place', async () => {
    const empty = await world.venueTree();
    // A closure of its room goes with it.
    await world.ok(
      api.post(
        `/api/spaces/${empty.room.id}/closures`,
        { from: `${day}T10:00`, to: `${day}T12:00`, reason: 'Cleaning' },
        { token: admin },
      ),
    );
    expect((await api.delete(`/api/venues/${empty.venue.id}`, { token: admin })).status).toBe(204);
    expectProblem(await api.get(`/api/venues/${empty.venue.id}`), 404);
    expectProblem(await api.get(`/api/pavilions/${empty.pavilion.id}`), 404);
    expectProblem(await api.delete(`/api/venues/${empty.venue.id}`, { token: admin }), 404);

    const { tree, past, item } = await setUp();
    const old = await item(past, 'Held in 2017', tree.hall.id, '2017-08-15');
    expect((await api.delete(`/api/venues/${tree.venue.id}`, { token: admin })).status).toBe(204);
    expectProblem(await api.get(`/api/venues/${tree.venue.id}`), 404);
    const listed = await api.get('/api/venues?limit=200');
    expect(listed.body.items.map((v: any) => v.id)).not.toContain(tree.venue.id);
    const kept = await api.get(`/api/items/${old.id}`);
    expect(kept.status).toBe(200);
    expect(kept.body.space).toMatchObject({ id: tree.hall.id, name: 'Hall' });
  });

  it('shrinks a space only down to its future items, and renames it', async () => {
    const { tree, future, past, item } = await setUp();
    await item(past, 'Full house in 2017', tree.hall.id, '2017-08-15', { capacity: 100 });
    const big = await item(future, 'Needs 80', tree.hall.id, day, { capacity: 80 });
    const tooSmall = await api.patch(`/api/spaces/${tree.hall.id}`, { capacity: 50 }, { token: admin });
    expectProblem(tooSmall, 409);
    expect(conflictIds(tooSmall)).toEqual([big.id]);
    expect(tooSmall.body.conflicts[0]).toMatchObject({
      title: 'Needs 80',
      startsAt: `${day}T10:00:00Z`,
    });

    const fits = await api.patch(
      `/api/spaces/${tree.hall.id}`,
      { capacity: 80, name: 'Great hall' },
      { token: admin },
    );
    expect(fits.status).toBe(200);
    expect(fits.body).toMatchObject({ capacity: 80, name: 'Great hall' });
    const clash = await api.patch(`/api/spaces/${tree.hall.id}`, { name: 'room' }, { token: admin });
    expectProblem(clash, 409);
    expectProblem(await api.patch(`/api/spaces/${tree.hall.id}`, { capacity: 0 }, { token: admin }), 400);
    expectProblem(await api.patch(`/api/spaces/${tree.hall.id}`, { kind: 'stage' }, { token: admin }), 400);
  });

  it('refuses to delete a space with future items, naming them; once they are cancelled it goes, and history keeps it', async () => {
    const { tree, organizer, future, past, item } = await setUp();
    const old = await item(past, 'In 2017', tree.room.id, '2017-08-15');
    const coming = await item(future, 'Coming up', tree.room.id, day);
    const refused = await api.delete(`/api/spaces/${tree.room.id}`, { token: admin });
    expectProblem(refused, 409);
    expect(conflictIds(refused)).toEqual([coming.id]);

    await world.ok(
      api.post(`/api/items/${coming.id}/cancel`, { reason: 'Moved online' }, { token: organizer.token }),
    );
    expect((await api.delete(`/api/spaces/${tree.room.id}`, { token: admin })).status).toBe(204);
    const spaces = await api.get(`/api/pavilions/${tree.pavilion.id}/spaces`);
    expect(spaces.body.items.map((s: any) => s.id)).toEqual([tree.hall.id]);
    expect((await api.get(`/api/items/${old.id}`)).body.space.name).toBe('Room');
    // The archived space takes no bookings, and its name is free again.
    const booking = await api.post(
      `/api/programmes/${future.id}/items`,
      {
        type: 'presentation',
        title: 'Late',
        spaceId: tree.room.id,
        startsAt: `${day}T12:00`,
        endsAt: `${day}T13:00`,
      },
      { token: organizer.token },
    );
    expectProblem(booking, 400);
    const again = await api.post(
      `/api/pavilions/${tree.pavilion.id}/spaces`,
      { name: 'Room', capacity: 10, kind: 'other' },
      { token: admin },
    );
    expect(again.status).toBe(201);
    expectProblem(await api.delete(`/api/spaces/${tree.room.id}`, { token: admin }), 404);
  });

  it('refuses opening hours that leave future items outside, naming them; with displace they read displaced, and fit again when the hours return', async () => {
    const { tree, future, past, item } = await setUp();
    await item(past, 'Old morning', tree.hall.id, '2017-08-15');
    const morning = await item(future, 'Morning', tree.hall.id, day);
    const evening = await item(future, 'Evening', tree.room.id, day, {
      startsAt: `${day}T18:00`,
      endsAt: `${day}T19:00`,
    });
    const afternoons = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '12:00', closes: '21:00' }));
    const refused = await api.patch(
      `/api/pavilions/${tree.pavilion.id}`,
      { openingHours: afternoons },
      { token: admin },
    );
    expectProblem(refused, 409);
    expect(conflictIds(refused)).toEqual([morning.id]);
    expect((await api.get(`/api/pavilions/${tree.pavilion.id}`)).body.openingHours[0].opens).toBe('09:00');

    const displaced = await api.patch(
      `/api/pavilions/${tree.pavilion.id}`,
      { openingHours: afternoons, displace: true, name: 'Afternoon pavilion' },
      { token: admin },
    );
    expect(displaced.status).toBe(200);
    expect(displaced.body).toMatchObject({ name: 'Afternoon pavilion', displacedItemIds: [morning.id] });
    expect(displaced.body.openingHours).toHaveLength(7);
    const read = (await api.get(`/api/items/${morning.id}`)).body;
    expect(read.displaced).toBe(true);
    expect(read.displacedBy).toEqual([expect.objectContaining({ code: 'outside_opening_hours' })]);
    expect((await api.get(`/api/items/${evening.id}`)).body.displaced).toBe(false);

    const wholeDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '08:00', closes: '22:00' }));
    const back = await api.patch(
      `/api/pavilions/${tree.pavilion.id}`,
      { openingHours: wholeDay },
      { token: admin },
    );
    expect(back.body.displacedItemIds).toEqual([]);
    expect((await api.get(`/api/items/${morning.id}`)).body.displaced).toBe(false);

    const bad = await api.patch(
      `/api/pavilions/${tree.pavilion.id}`,
      { openingHours: [{ weekday: 1, opens: '18:00', closes: '10:00' }] },
      { token: admin },
    );
    expectProblem(bad, 400);
    expectProblem(
      await api.patch(`/api/pavilions/${tree.pavilion.id}`, { displace: 'yes' }, { token: admin }),
      400,
    );
  });

  it('deletes a pavilion only without future items; programmes keep an archived one', async () => {
    const { tree, organizer, future, item } = await setUp();
    const coming = await item(future, 'Coming', tree.hall.id, day);
    const refused = await api.delete(`/api/pavilions/${tree.pavilion.id}`, { token: admin });
    expectProblem(refused, 409);
    expect(conflictIds(refused)).toEqual([coming.id]);
    await world.ok(api.post(`/api/items/${coming.id}/cancel`, { reason: 'Off' }, { token: organizer.token }));
    expect((await api.delete(`/api/pavilions/${tree.pavilion.id}`, { token: admin })).status).toBe(204);
    expectProblem(await api.get(`/api/pavilions/${tree.pavilion.id}`), 404);
    expect((await api.get(`/api/programmes/${future.id}`)).status).toBe(200);
    const newProgramme = await api.post(
      '/api/programmes',
      {
        organizationId: organizer.organization.id,
        pavilionId: tree.pavilion.id,
        title: 'Late',
        startsOn: day,
        endsOn: day,
      },
      { token: organizer.token },
    );
    expectProblem(newProgramme, 404);
  });

  it('edits a speaker, refuses to delete one with items to come, archives one with only past items', async () => {
    const { tree, organizer, future, past, item } = await setUp();
    const token = organizer.token;
    const speaker = await world.speaker(token, 'Aigerim Speaker');
    const edited = await api.patch(
      `/api/speakers/${speaker.id}`,
      { name: 'Aigerim Nurlanovna', email: 'aigerim@e2e.test', affiliation: null },
      { token },
    );
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: 'Aigerim Nurlanovna', affiliation: null });
    expectProblem(await api.patch(`/api/speakers/${speaker.id}`, { email: 'not-an-email' }, { token }), 400);

    const old = await item(past, 'Spoke in 2017', tree.hall.id, '2017-08-15', { speakerIds: [speaker.id] });
    const coming = await item(future, 'Speaks soon', tree.room.id, day, { speakerIds: [speaker.id] });
    const refused = await api.delete(`/api/speakers/${speaker.id}`, { token });
    expectProblem(refused, 409);
    expect(conflictIds(refused)).toEqual([coming.id]);

    await world.ok(api.post(`/api/items/${coming.id}/cancel`, { reason: 'Ill' }, { token }));
    expect((await api.delete(`/api/speakers/${speaker.id}`, { token })).status).toBe(204);
    const listed = await api.get(`/api/speakers?q=Aigerim&limit=200`, { token });
    expect(listed.body.items.map((s: any) => s.id)).not.toContain(speaker.id);
    expect((await api.get(`/api/items/${old.id}`)).body.speakers.map((s: any) => s.name)).toEqual([
      'Aigerim Nurlanovna',
    ]);
    const assign = await api.patch(`/api/items/${old.id}`, { speakerIds: [speaker.id] }, { token });
    expectProblem(assign, 400);
    expectProblem(await api.delete(`/api/speakers/${speaker.id}`, { token }), 404);

    const unused = await world.speaker(token);
    expect((await api.delete(`/api/speakers/${unused.id}`, { token })).status).toBe(204);
  });

  it('a space deleted while someone books it: never both, and nothing is booked into a deleted space', async () => {
    const { tree, organizer, future } = await setUp();
    const outcomes: string[] = [];
    for (let round = 0; round < 6; round++) {
      const space = await world.ok(
        api.post(
          `/api/pavilions/${tree.pavilion.id}/spaces`,
          { name: `Race ${round}`, capacity: 30, kind: 'other' },
          { token: admin },
        ),
      );
      const [booking, removal] = await Promise.all([
        api.post(
          `/api/programmes/${future.id}/items`,
          {
            type: 'presentation',
            title: `Race ${round}`,
            spaceId: space.id,
            startsAt: `${day}T10:00`,
            endsAt: `${day}T11:00`,
          },
          { token: organizer.token },
        ),
        api.delete(`/api/spaces/${space.id}`, { token: admin }),
      ]);
      outcomes.push(`${booking.status}/${removal.status}`);
      if (booking.status === 201) {
        expectProblem(removal, 409);
        expect(conflictIds(removal)).toEqual([booking.body.id]);
      } else {
        expect(removal.status).toBe(204);
        expect([400, 409]).toContain(booking.status);
        expectProblem(booking, booking.status);
      }
    }
    expect(outcomes.every((o) => ['201/409', '400/204', '409/204'].includes(o))).toBe(true);
  });

  it('a space shrunk while someone books more seats than it will have: never both', async () => {
    const { tree, organizer, future } = await setUp();
    for (let round = 0; round < 6; round++) {
      const space = await world.ok(
        api.post(
          `/api/pavilions/${tree.pavilion.id}/spaces`,
          { name: `Shrink ${round}`, capacity: 60, kind: 'other' },
          { token: admin },
        ),
      );
      const [booking, shrink] = await Promise.all([
        api.post(
          `/api/programmes/${future.id}/items`,
          {
            type: 'presentation',
            title: `Big ${round}`,
            spaceId: space.id,
            startsAt: `${day}T10:00`,
            endsAt: `${day}T11:00`,
            capacity: 50,
          },
          { token: organizer.token },
        ),
        api.patch(`/api/spaces/${space.id}`, { capacity: 20 }, { token: admin }),
      ]);
      expect([booking.status, shrink.status]).not.toEqual([201, 200]);
      if (booking.status === 201) expectProblem(shrink, 409);
      else {
        expect(shrink.status).toBe(200);
        expectProblem(booking, 400);
      }
    }
  });

  it('never leaves an item outside the opening hours when a shrink and a booking race (10 rounds)', async () => {
    const organizer = await world.organizer();
    const week = (opens: string, closes: string) =>
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens, closes }));
    for (let round = 0; round < 10; round++) {
      const tree = await world.venueTree({ timezone: 'UTC', openingHours: week('09:00', '21:00') });
      const programme = await world.programme(organizer, tree.pavilion, { startsOn: day, endsOn: day });
      const [shrink, booking] = await Promise.all([
        api.patch(
          `/api/pavilions/${tree.pavilion.id}`,
          { openingHours: week('09:00', '18:00') },
          { token: admin },
        ),
        api.post(
          `/api/programmes/${programme.id}/items`,
          {
            type: 'presentation',
            title: `Evening talk ${round}`,
            spaceId: tree.hall.id,
            startsAt: `${day}T19:00`,
            endsAt: `${day}T20:00`,
          },
          { token: organizer.token },
        ),
      ]);
      // One of the two wins; the loser is told why (409 from either side, or 400 once the new hours are read).
      expect([shrink.status, booking.status].filter((status) => status < 300)).toHaveLength(1);
      if (shrink.status >= 300) expectProblem(shrink, 409);
      if (booking.status >= 300) expect([400, 409]).toContain(booking.status);
      const closes = (await api.get(`/api/pavilions/${tree.pavilion.id}`)).body.openingHours[0].closes;
      const items = (await api.get(`/api/programmes/${programme.id}/items`, { token: organizer.token })).body
        .items;
      expect({ closes, items: items.length }).toEqual(
        shrink.status === 200 ? { closes: '18:00', items: 0 } : { closes: '21:00', items: 1 },
      );
    }
  }, 120_000);
});
