import { XMLParser } from 'fast-xml-parser';
import { expectProblem, TestApi } from '../support/api';
import { startPlacedWorld, VenueTree, World } from '../support/world';

const HHMM = /^\d{2}:\d{2}$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const arrayOf = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

describe('frab exports, the changelog and conditional GETs', () => {
  let api: TestApi;
  let world: World;
  let tree: VenueTree;
  let organizer: { organization: any; token: string };
  let programme: any;
  let opening: any;
  let forum: any;
  let conference: any;
  let speakerA: any;
  let speakerB: any;

  const item = (body: Record<string, unknown>) =>
    world.item(organizer.token, programme, {
      type: 'conference',
      spaceId: tree.hall.id,
      languages: ['ru'],
      ...body,
    });
  const patch = (id: string, body: Record<string, unknown>) =>
    world.ok(api.patch(`/api/items/${id}`, body, { token: organizer.token }));
  const schedule = async () => (await api.get(`/api/programmes/${programme.id}/schedule.json`)).body.schedule;
  const changes = async () => (await api.get(`/api/programmes/${programme.id}/changes`)).body.items;

  beforeAll(async () => {
    ({ api, world, tree, organizer } = await startPlacedWorld({ PUBLIC_URL: 'http://pavilion.test' }));
    programme = await world.programme(organizer, tree.pavilion, {
      startsOn: '2031-06-02',
      endsOn: '2031-06-03',
    });
    speakerA = await world.speaker(organizer.token, 'Alexander Shestakov');
    speakerB = await world.speaker(organizer.token, 'Айгерим Сейтказина');
    opening = await item({
      type: 'opening_ceremony',
      title: 'Opening of the Days of Chelyabinsk Region',
      startsAt: '2031-06-02T10:00',
      endsAt: '2031-06-02T11:00',
      speakerIds: [speakerA.id],
    });
    forum = await item({
      type: 'business_forum',
      title: 'Business energy — development energy',
      description: 'Investment <projects> & "energy"',
      spaceId: tree.room.id,
      startsAt: '2031-06-02T11:30',
      endsAt: '2031-06-02T13:00',
      languages: ['ru', 'en'],
    });
    conference = await item({
      title: 'Будущее альтернативной энергетики',
      startsAt: '2031-06-03T10:00',
      endsAt: '2031-06-03T12:30',
      speakerIds: [speakerB.id],
    });
    await item({ title: 'A draft with no place yet', durationMinutes: 60, spaceId: undefined });
    const dropped = await item({
      title: 'Dropped',
      startsAt: '2031-06-03T14:00',
      endsAt: '2031-06-03T15:00',
    });
    await world.ok(
      api.post(`/api/items/${dropped.id}/cancel`, { reason: 'no speaker' }, { token: organizer.token }),
    );
    await world.ok(api.post(`/api/programmes/${programme.id}/publish`, {}, { token: organizer.token }));
  });
  afterAll(() => api.close());

  it('hides the exports of a draft and refuses a bad id as problem+json', async () => {
    const draft = await world.programme(organizer, tree.pavilion);
    expectProblem(await api.get(`/api/programmes/${draft.id}/schedule.json`), 404);
    expectProblem(await api.get(`/api/programmes/not-a-uuid/schedule.xml`), 400);
    expectProblem(await api.get(`/api/programmes/${draft.id}/changes`), 404);
  });

  it('schedule.json follows the frab rules: unique positive ids, guids and slugs, rooms per day, HH:MM', async () => {
    const res = await api.get(`/api/programmes/${programme.id}/schedule.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('cache-control')).toBe('public, no-cache');
    const { schedule: s } = res.body;
    expect(s).toMatchObject({ base_url: 'http://pavilion.test/' });
    expect(typeof s.version).toBe('string');
    expect(s.conference).toMatchObject({
      title: programme.title,
      start: '2031-06-02',
      end: '2031-06-03',
      daysCount: 2,
      time_zone_name: 'Asia/Almaty',
    });
    expect(s.conference.rooms.map((r: any) => r.name).sort()).toEqual(['Hall', 'Room']);
    expect(s.conference.days.map((d: any) => [d.index, d.date])).toEqual([
      [1, '2031-06-02'],
      [2, '2031-06-03'],
    ]);
    const events = s.conference.days.flatMap((d: any) =>
      Object.entries(d.rooms).flatMap(([room, list]: [string, any]) =>
        list.map((e: any) => ({ ...e, inRoom: room, day: d.date })),
      ),
    );
    expect(events.map((e: any) => e.title).sort()).toEqual(
      [opening.title, forum.title, conference.title].sort(),
    );
    for (const e of events) {
      expect(Number.isInteger(e.id) && e.id > 0).toBe(true);
      expect(e.date).toMatch(WITH_OFFSET);
      expect(e.date.slice(0, 10)).toBe(e.day);
      expect(e.start).toMatch(HHMM);
      expect(e.duration).toMatch(HHMM);
      expect(e.room).toBe(e.inRoom);
      for (const field of [
        'guid',
        'slug',
        'url',
        'title',
        'subtitle',
        'track',
        'type',
        'language',
        'abstract',
      ])
        expect(typeof e[field]).toBe('string');
      expect(Array.isArray(e.persons)).toBe(true);
    }
    for (const key of ['id', 'guid', 'slug'])
      expect(new Set(events.map((e: any) => e[key])).size).toBe(events.length);
    const op = events.find((e: any) => e.guid === opening.id);
    expect(op).toMatchObject({
      date: '2031-06-02T10:00:00+05:00',
      start: '10:00',
      duration: '01:00',
      room: 'Hall',
      type: 'opening_ceremony',
      track: 'Opening ceremony',
      language: 'ru',
      url: `http://pavilion.test/programmes/${programme.id}/items/${opening.id}`,
    });
    expect(op.persons).toEqual([expect.objectContaining({ public_name: 'Alexander Shestakov' })]);
    // Every person has a positive integer id of its own, the same wherever the person appears.
    const persons = events.flatMap((e: any) => e.persons);
    for (const p of persons) expect(Number.isInteger(p.id) && p.id > 0).toBe(true);
    const idOf = new Map<string, number>();
    for (const p of persons) expect(idOf.set(p.guid, idOf.get(p.guid) ?? p.id).get(p.guid)).toBe(p.id);
    expect(new Set(idOf.values()).size).toBe(idOf.size);
    expect(events.find((e: any) => e.guid === conference.id)).toMatchObject({ duration: '02:30' });
    expect(events.find((e: any) => e.guid === conference.id).slug).toMatch(
      /^[a-z0-9-]+budushchee-alternativnoi/,
    );
  });

  it('schedule.xml parses, carries the same events with the same ids, and escapes text', async () => {
    const res = await api.get(`/api/programmes/${programme.id}/schedule.xml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/xml');
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(res.text);
    const s = parsed.schedule;
    const json = await schedule();
    expect(String(s.version)).toBe(json.version);
    expect(s.conference).toMatchObject({ title: programme.title, start: '2031-06-02', days: 2 });
    const days = arrayOf<any>(s.day);
    expect(days.map((d) => [d['@index'], d['@date']])).toEqual([
      ['1', '2031-06-02'],
      ['2', '2031-06-03'],
    ]);
    const events = days.flatMap((d) =>
      arrayOf<any>(d.room).flatMap((r) => arrayOf<any>(r.event).map((e) => ({ ...e, inRoom: r['@name'] }))),
    );
    const jsonIds = json.conference.days.flatMap((d: any) =>
      Object.values(d.rooms).flatMap((l: any) => l.map((e: any) => `${e.id}:${e.guid}`)),
    );
    expect(events.map((e) => `${e['@id']}:${e['@guid']}`).sort()).toEqual(jsonIds.sort());
    for (const e of events) {
      expect(Number(e['@id'])).toBeGreaterThan(0);
      expect(e.room).toBe(e.inRoom);
      expect(String(e.start)).toMatch(HHMM);
      expect(String(e.duration)).toMatch(HHMM);
      expect(e.date).toMatch(WITH_OFFSET);
    }
    expect(events.find((e) => e['@guid'] === forum.id).abstract).toBe('Investment <projects> & "energy"');
    const jsonPersons = json.conference.days.flatMap((d: any) =>
      Object.values(d.rooms).flatMap((l: any) =>
        l.flatMap((e: any) => e.persons.map((p: any) => `${p.id}:${p.guid}`)),
      ),
    );
    const xmlPersons = events.flatMap((e) =>
      arrayOf<any>(e.persons?.person).map((p) => `${p['@id']}:${p['@guid']}`),
    );
    expect(xmlPersons.length).toBeGreaterThan(0);
    expect(xmlPersons.sort()).toEqual(jsonPersons.sort());
  });

  it('answers a repeat request 304 without a body, and a changed programme with a new ETag', async () => {
    for (const path of [
      `/api/programmes/${programme.id}/schedule.json`,
      `/api/programmes/${programme.id}/schedule.xml`,
      `/api/programmes/${programme.id}/calendar.ics`,
      `/programmes/${programme.id}/changes.atom`,
    ]) {
      const first = await api.get(path);
      const etag = first.headers.get('etag') as string;
      expect(etag).toBeTruthy();
      const again = await api.get(path, { headers: { 'if-none-match': etag } });
      expect({ path, status: again.status, body: again.text }).toEqual({ path, status: 304, body: '' });
    }
  });

  it('a retitle moves the ETag, the version and the changelog; a seat taken moves the ETag only', async () => {
    const before = await api.get(`/api/programmes/${programme.id}/schedule.json`);
    const etag = before.headers.get('etag') as string;
    await patch(forum.id, { title: 'Business energy — development energy 2031' });
    const after = await api.get(`/api/programmes/${programme.id}/schedule.json`, {
      headers: { 'if-none-match': etag },
    });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(after.body.schedule.version).not.toBe(before.body.schedule.version);
    expect((await changes())[0]).toMatchObject({ kind: 'changed', itemId: forum.id, fields: ['title'] });

    const attendee = await world.signup();
    await world.ok(api.post(`/api/items/${forum.id}/registrations`, {}, { token: attendee.token }));
    const seated = await api.get(`/api/programmes/${programme.id}/schedule.json`, {
      headers: { 'if-none-match': after.headers.get('etag') as string },
    });
    expect(seated.status).toBe(200);
    expect(seated.body.schedule.version).toBe(after.body.schedule.version);
  });

  it('records each published change once, newest first: moved, speakers, cancelled, added', async () => {
    const count = (await changes()).length;
    await patch(opening.id, { startsAt: '2031-06-02T09:30', endsAt: '2031-06-02T10:30' });
    await patch(conference.id, { speakerIds: [speakerA.id, speakerB.id] });
    await patch(conference.id, { speakerIds: [speakerA.id, speakerB.id] }); // the same again: no change
    await world.ok(
      api.post(`/api/items/${forum.id}/cancel`, { reason: 'moved online' }, { token: organizer.token }),
    );
    const late = await item({
      title: 'Negotiations',
      type: 'negotiations',
      startsAt: '2031-06-03T15:00',
      endsAt: '2031-06-03T16:00',
    });
    const list = await changes();
    expect(list.length).toBe(count + 4);
    expect(list.slice(0, 4).map((c: any) => [c.kind, c.itemId])).toEqual([
      ['added', late.id],
      ['cancelled', forum.id],
      ['changed', conference.id],
      ['moved', opening.id],
    ]);
    expect(list[2].fields).toEqual(['speakers']);
    expect(list[3].before).toMatchObject({ startsAt: '2031-06-02T10:00:00+05:00', space: 'Hall' });
    expect(list[3].after).toMatchObject({ startsAt: '2031-06-02T09:30:00+05:00' });
    expect(list.at(-1)).toMatchObject({ kind: 'published' });
    const ids = list.map((c: any) => Number(c.id));
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const exported = (await schedule()).conference.days.flatMap((d: any) => Object.values(d.rooms).flat());
    expect(exported.map((e: any) => e.guid)).not.toContain(forum.id);
  });

  it('serves the changelog as a valid Atom feed, newest entry first', async () => {
    const res = await api.get(`/programmes/${programme.id}/changes.atom?lang=ru`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/atom+xml');
    const feed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(res.text).feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBe(`http://pavilion.test/programmes/${programme.id}/changes`);
    const entries = arrayOf<any>(feed.entry);
    expect(entries.length).toBe((await changes()).length);
    for (const e of entries) {
      expect(e.id).toBeTruthy();
      expect(e.title).toBeTruthy();
      expect(e.updated).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
    expect(String(entries[0].title['#text'] ?? entries[0].title)).toContain('Добавлено');
  });

  it('favourites: PUT/DELETE are idempotent 204s, listed for the person, 404 for drafts', async () => {
    const person = await world.signup();
    expect(
      (await api.request('PUT', `/api/items/${opening.id}/favourite`, undefined, { token: person.token }))
        .status,
    ).toBe(204);
    expect(
      (await api.request('PUT', `/api/items/${opening.id}/favourite`, undefined, { token: person.token }))
        .status,
    ).toBe(204);
    expectProblem(await api.request('PUT', `/api/items/${opening.id}/favourite`), 401);
    const list = await world.ok(api.get('/api/me/favourites', { token: person.token }));
    expect(list.items.map((i: any) => i.id)).toEqual([opening.id]);
    const me = await world.ok(api.get('/api/me', { token: person.token }));
    const feed = await api.get(`/api/me/agenda.ics?token=${me.calendarFeedToken}`);
    expect(feed.text).toContain(`favourite-${opening.id}@pavilion`);
    expect(feed.headers.get('cache-control')).toBe('private, no-cache');
    const feedTag = feed.headers.get('etag') as string;
    const again = await api.get(`/api/me/agenda.ics?token=${me.calendarFeedToken}`, {
      headers: { 'if-none-match': feedTag },
    });
    expect(again.status).toBe(304);
    expect((await api.delete(`/api/items/${opening.id}/favourite`, { token: person.token })).status).toBe(
      204,
    );
    expect((await world.ok(api.get('/api/me/favourites', { token: person.token }))).items).toEqual([]);
    const unstarred = await api.get(`/api/me/agenda.ics?token=${me.calendarFeedToken}`, {
      headers: { 'if-none-match': feedTag },
    });
    expect(unstarred.status).toBe(200);
    expect(unstarred.text).not.toContain(`favourite-${opening.id}@pavilion`);
    const draft = await world.programme(organizer, tree.pavilion, {
      startsOn: '2031-07-01',
      endsOn: '2031-07-01',
    });
    const hidden = await world.item(organizer.token, draft, {
      type: 'conference',
      spaceId: tree.hall.id,
      title: 'Hidden',
      startsAt: '2031-07-01T10:00',
      endsAt: '2031-07-01T11:00',
    });
    expectProblem(
      await api.request('PUT', `/api/items/${hidden.id}/favourite`, undefined, { token: person.token }),
      404,
    );
  });
});
