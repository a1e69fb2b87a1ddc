import { expectProblem, TestApi } from '../support/api';
import { startPlacedWorld, VenueTree, World } from '../support/world';

/** POST /api/programmes/:id/items/import (API.md): CSV in, all rows or none, every bad row and column named. */
describe('importing items from CSV', () => {
  let api: TestApi;
  let world: World;
  let tree: VenueTree;
  let organizer: { organization: any; token: string };

  beforeAll(async () => {
    ({ api, world, tree, organizer } = await startPlacedWorld());
  });
  afterAll(() => api.close());

  const upload = (programmeId: string, csv: string, query = '') =>
    api.request('POST', `/api/programmes/${programmeId}/items/import${query}`, undefined, {
      token: organizer.token,
      raw: csv,
      headers: { 'content-type': 'text/csv' },
    });
  const titles = async (programmeId: string) =>
    (
      await api.get(`/api/programmes/${programmeId}/items?limit=200`, { token: organizer.token })
    ).body.items.map((i: any) => i.title);

  it('checks a file on a dry run, then creates every row in one go, with spaces and speakers by name or email', async () => {
    const programme = await world.programme(organizer, tree.pavilion);
    const governor = await world.speaker(organizer.token, 'Boris Importovsky');
    await world.ok(
      api.patch(
        `/api/speakers/${governor.id}`,
        { email: 'boris.import@e2e.test' },
        { token: organizer.token },
      ),
    );
    await world.speaker(organizer.token, 'Zhanna Importova');
    const csv = [
      'type,title,space,startsAt,endsAt,capacity,speakers,languages,registrationRequired',
      'opening_ceremony,"Opening, with music",Hall,2017-08-15T10:00,2017-08-15T11:00,80,boris.import@e2e.test,ru;kk,true',
      'round_table,Smart cities,room,2017-08-15T10:30,2017-08-15T11:30,,Zhanna Importova,en,',
      'conference,"Future of alternative energy",Hall,2017-08-16T10:00,2017-08-16T12:00,,Boris Importovsky;Zhanna Importova,en;ru,false',
      '',
    ].join('\n');

    const dry = await upload(programme.id, csv, '?dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ created: 0, checked: 3, dryRun: true });
    expect(await titles(programme.id)).toEqual([]);

    const done = await upload(programme.id, csv);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ created: 3, checked: 3, dryRun: false });
    const items = (await api.get(`/api/programmes/${programme.id}/items`, { token: organizer.token })).body
      .items;
    expect(
      items.map((i: any) => [i.title, i.space.name, i.capacity, i.speakers.map((s: any) => s.name)]),
    ).toEqual([
      ['Opening, with music', 'Hall', 80, ['Boris Importovsky']],
      ['Smart cities', 'Room', 20, ['Zhanna Importova']],
      ['Future of alternative energy', 'Hall', 100, ['Boris Importovsky', 'Zhanna Importova']],
    ]);
    expect(items[0]).toMatchObject({ startsAt: '2017-08-15T10:00:00+06:00', languages: ['ru', 'kk'] });
    expect(items[2].registrationRequired).toBe(false);

    // The same file again: every row is in the way of what it created; nothing more is created.
    const again = await upload(programme.id, csv);
    expectProblem(again, 400);
    expect(again.body.errors.map((e: any) => e.field)).toEqual(
      expect.arrayContaining(['line 2: space', 'line 3: space', 'line 4: space']),
    );
    expect(await titles(programme.id)).toHaveLength(3);
  });

  it('names every bad row and column, and creates nothing', async () => {
    const own = await world.venueTree();
    const programme = await world.programme(organizer, own.pavilion);
    const csv = [
      'type,title,space,startsAt,endsAt,capacity,speakers',
      'conference,Fine on its own,Hall,2017-08-15T10:00,2017-08-15T11:00,,',
      'party,Bad type,Hall,2017-08-15T12:00,2017-08-15T13:00,,',
      'conference,Nowhere,Attic,2017-08-15T12:00,2017-08-15T13:00,,',
      'conference,At night,Room,2017-08-15T22:00,2017-08-15T23:00,,',
      'conference,Too big,Room,2017-08-15T12:00,2017-08-15T13:00,500,',
      'conference,Bad time,Room,15.08.2017 12:00,2017-08-15T13:00,,Nobody Known',
      ',,Room,2017-08-15T14:00,2017-08-15T15:00,zero,',
    ].join('\n');
    const res = await upload(programme.id, csv);
    expectProblem(res, 400);
    expect(res.body.errors.map((e: any) => e.field).sort()).toEqual(
      ['line 3: type', 'line 7: startsAt', 'line 8: type', 'line 8: title', 'line 8: capacity'].sort(),
    );
    expect(await titles(programme.id)).toEqual([]);

    // Shape first; then the rules: place, opening hours, capacity, speakers, overlaps within the file.
    const ruled = [
      'type,title,space,startsAt,endsAt,capacity,speakers',
      'conference,Fine on its own,Hall,2017-08-15T10:00,2017-08-15T11:00,,',
      'conference,Nowhere,Attic,2017-08-15T12:00,2017-08-15T13:00,,',
      'conference,At night,Room,2017-08-15T22:00,2017-08-15T23:00,,',
      'conference,Too big,Room,2017-08-15T12:00,2017-08-15T13:00,500,',
      'conference,Unknown speaker,Room,2017-08-15T14:00,2017-08-15T15:00,,Nobody Known',
      'conference,Same hall,Hall,2017-08-15T10:30,2017-08-15T11:30,,',
      'conference,After the programme,Hall,2017-08-20T10:00,2017-08-20T11:00,,',
    ].join('\n');
    const refused = await upload(programme.id, ruled);
    expectProblem(refused, 400);
    expect(refused.body.errors.map((e: any) => e.field).sort()).toEqual(
      ['line 3: space', 'line 4: startsAt', 'line 5: capacity', 'line 6: speakers', 'line 8: endsAt'].sort(),
    );
    expect(await titles(programme.id)).toEqual([]);

    const clash = [
      'type,title,space,startsAt,endsAt',
      'conference,First,Hall,2017-08-15T10:00,2017-08-15T11:00',
      'conference,Same hall,Hall,2017-08-15T10:30,2017-08-15T11:30',
    ].join('\n');
    const inTheWay = await upload(programme.id, clash, '?dryRun=true');
    expectProblem(inTheWay, 400);
    expect(inTheWay.body.errors).toEqual([{ field: 'line 3: space', message: 'is booked then by line 2' }]);
  });

  it('refuses a file it cannot read, an unknown column, a missing one, and a body that is not CSV', async () => {
    const programme = await world.programme(organizer, tree.pavilion);
    const unknown = await upload(programme.id, 'type,title,space,startsAt,endsAt,colour\n');
    expectProblem(unknown, 400);
    expect(unknown.body.errors).toEqual([
      { field: 'line 1: colour', message: 'is not a column of an item import' },
    ]);
    const missing = await upload(programme.id, 'type,title\nconference,Lost\n');
    expectProblem(missing, 400);
    expect(missing.body.errors.map((e: any) => e.field)).toEqual([
      'line 1: space',
      'line 1: startsAt',
      'line 1: endsAt',
    ]);
    expectProblem(await upload(programme.id, 'type,title,space,startsAt,endsAt\n"unclosed,quote\n'), 400);
    expectProblem(await upload(programme.id, 'type,title,space,startsAt,endsAt\n'), 400);
    expectProblem(await upload(programme.id, 'x', '?dryRun=maybe'), 400);
    expectProblem(
      await api.post(
        `/api/programmes/${programme.id}/items/import`,
        { rows: [] },
        { token: organizer.token },
      ),
      400,
    );
    const other = await world.organizer();
    const foreign = await api.request('POST', `/api/programmes/${programme.id}/items/import`, undefined, {
      token: other.token,
      raw: 'type,title,space,startsAt,endsAt\n',
      headers: { 'content-type': 'text/csv' },
    });
    expectProblem(foreign, 404);
  });
});
