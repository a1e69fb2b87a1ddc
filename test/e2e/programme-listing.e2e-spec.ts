import { expectProblem, TestApi } from '../support/api';
import { startPlacedWorld, VenueTree, World } from '../support/world';

describe('programmes: time zones, listing and visibility', () => {
  let api: TestApi;
  let world: World;
  let tree: VenueTree;
  let organizer: { organization: any; token: string };

  beforeAll(async () => {
    ({ api, world, tree, organizer } = await startPlacedWorld());
  });
  afterAll(() => api.close());

  const item = (programmeId: string, body: Record<string, unknown>) =>
    api.post(
      `/api/programmes/${programmeId}/items`,
      { type: 'conference', title: 'Item', spaceId: tree.hall.id, ...body },
      { token: organizer.token },
    );

  it('shows Astana times with the offset of their date: +06:00 in 2017, +05:00 in 2025', async () => {
    const p2017 = await world.programme(organizer, tree.pavilion, {
      startsOn: '2017-08-15',
      endsOn: '2017-08-15',
      publish: true,
    });
    const p2025 = await world.programme(organizer, tree.pavilion, {
      startsOn: '2025-06-10',
      endsOn: '2025-06-10',
      publish: true,
    });
    const old = await world.ok(item(p2017.id, { startsAt: '2017-08-15T10:00', endsAt: '2017-08-15T11:00' }));
    const recent = await world.ok(
      item(p2025.id, { startsAt: '2025-06-10T10:00', endsAt: '2025-06-10T11:00' }),
    );
    expect(old.startsAt).toBe('2017-08-15T10:00:00+06:00');
    expect(recent.startsAt).toBe('2025-06-10T10:00:00+05:00');
    // Offset-qualified input is that instant: 04:00Z is 10:00 in Astana in 2017.
    const utc = await world.ok(
      item(p2017.id, { startsAt: '2017-08-15T05:00:00Z', endsAt: '2017-08-15T06:00:00Z' }),
    );
    expect(utc.startsAt).toBe('2017-08-15T11:00:00+06:00');
    const read = await world.ok(api.get(`/api/items/${recent.id}`));
    expect(read).toMatchObject({ startsAt: '2025-06-10T10:00:00+05:00', timezone: 'Asia/Almaty' });
  });

  it('refuses wall times that a DST change skips or repeats', async () => {
    const berlin = await world.venueTree({
      timezone: 'Europe/Berlin',
      openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '24:00' })),
    });
    const p = await world.programme(organizer, berlin.pavilion, {
      startsOn: '2025-03-29',
      endsOn: '2025-10-27',
    });
    const create = (startsAt: string, endsAt: string) =>
      api.post(
        `/api/programmes/${p.id}/items`,
        { type: 'other', title: 'Night', spaceId: berlin.hall.id, startsAt, endsAt },
        { token: organizer.token },
      );
    const gap = await create('2025-03-30T02:30', '2025-03-30T04:00');
    expectProblem(gap, 400);
    expect(gap.body.type).toContain('invalid-wall-time');
    expect(gap.body.errors[0]).toMatchObject({
      field: 'startsAt',
      message: expect.stringContaining('does not exist'),
    });
    const overlap = await create('2025-10-26T02:30', '2025-10-26T04:00');
    expectProblem(overlap, 400);
    expect(overlap.body.errors[0].message).toContain('twice');
    const explicit = await world.ok(create('2025-10-26T02:30+01:00', '2025-10-26T04:00'));
    expect(explicit.startsAt).toBe('2025-10-26T02:30:00+01:00');
  });

  it('lists items by start with the filters and cursor pagination', async () => {
    const p = await world.programme(organizer, tree.pavilion, {
      startsOn: '2017-09-01',
      endsOn: '2017-09-02',
      publish: true,
    });
    const made = [
      await world.ok(
        item(p.id, {
          title: 'Solar panel',
          type: 'round_table',
          startsAt: '2017-09-01T14:00',
          endsAt: '2017-09-01T15:00',
          languages: ['ru'],
        }),
      ),
      await world.ok(
        item(p.id, {
          title: 'Morning forum',
          type: 'business_forum',
          startsAt: '2017-09-01T09:30',
          endsAt: '2017-09-01T10:30',
          languages: ['en'],
        }),
      ),
      await world.ok(
        item(p.id, {
          title: 'Wind 100% power',
          description: 'Turbines',
          spaceId: tree.room.id,
          startsAt: '2017-09-01T09:30',
          endsAt: '2017-09-01T10:30',
          languages: ['en', 'kk'],
        }),
      ),
      await world.ok(
        item(p.id, {
          title: 'Day two',
          startsAt: '2017-09-02T10:00',
          endsAt: '2017-09-02T11:00',
          languages: ['kk'],
        }),
      ),
    ];
    const list = (query: string) => world.ok(api.get(`/api/programmes/${p.id}/items?${query}`));

    const day1 = await list('date=2017-09-01');
    expect(day1.items.map((i: any) => i.title)).toEqual(
      [...made.slice(1, 3)]
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((i) => i.title)
        .concat('Solar panel'),
    );
    expect((await list('date=2017-09-02')).items.map((i: any) => i.title)).toEqual(['Day two']);
    expect((await list('type=round_table')).items.map((i: any) => i.title)).toEqual(['Solar panel']);
    expect((await list(`spaceId=${tree.room.id}`)).items.map((i: any) => i.title)).toEqual([
      'Wind 100% power',
    ]);
    expect((await list('language=kk')).items.map((i: any) => i.title)).toEqual([
      'Wind 100% power',
      'Day two',
    ]);
    expect((await list('q=turbines')).items.map((i: any) => i.title)).toEqual(['Wind 100% power']);
    expect((await list('q=100%25')).items.map((i: any) => i.title)).toEqual(['Wind 100% power']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await list(`limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((i: any) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual((await list('limit=200')).items.map((i: any) => i.id));
    expect(seen).toHaveLength(4);

    expectProblem(await api.get(`/api/programmes/${p.id}/items?cursor=garbage`), 400);
    expectProblem(await api.get(`/api/programmes/${p.id}/items?limit=201`), 400);
    expectProblem(await api.get(`/api/programmes/${p.id}/items?date=2017-02-30`), 400);
  });

  it('hides drafts from the public and from other organizers (404), shows them to their owners', async () => {
    const draft = await world.programme(organizer, tree.pavilion, {
      startsOn: '2017-10-01',
      endsOn: '2017-10-01',
    });
    const draftItem = await world.ok(
      item(draft.id, { startsAt: '2017-10-01T10:00', endsAt: '2017-10-01T11:00' }),
    );
    const stranger = await world.organizer();
    const attendee = await world.signup();
    for (const token of [undefined, stranger.token, attendee.token]) {
      expectProblem(await api.get(`/api/programmes/${draft.id}`, { token }), 404);
      expectProblem(await api.get(`/api/programmes/${draft.id}/items`, { token }), 404);
      expectProblem(await api.get(`/api/items/${draftItem.id}`, { token }), 404);
      const listed = await world.ok(api.get('/api/programmes?limit=200', { token }));
      expect(listed.items.map((p: any) => p.id)).not.toContain(draft.id);
    }
    expect((await api.get(`/api/programmes/${draft.id}`, { token: organizer.token })).status).toBe(200);
    expect((await api.get(`/api/programmes/${draft.id}`, { token: await world.adminToken() })).status).toBe(
      200,
    );
    const published = await world.ok(
      api.post(`/api/programmes/${draft.id}/publish`, {}, { token: organizer.token }),
    );
    expect(published.status).toBe('published');
    expect((await api.get(`/api/items/${draftItem.id}`)).status).toBe(200);
    expectProblem(await api.post(`/api/programmes/${draft.id}/publish`, {}, { token: organizer.token }), 409);
  });
});
