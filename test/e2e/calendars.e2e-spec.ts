import * as ical from 'node-ical';
import { Client } from 'pg';
import { expectProblem, TestApi } from '../support/api';
import { startPlacedWorld, VenueTree, World } from '../support/world';

const events = (text: string) =>
  Object.values(ical.sync.parseICS(text)).filter((c): c is ical.VEvent => c?.type === 'VEVENT');

describe('calendar feeds (RFC 5545)', () => {
  let api: TestApi;
  let world: World;
  let tree: VenueTree;
  let organizer: { organization: any; token: string };
  let programme: any;

  beforeAll(async () => {
    ({ api, world, tree, organizer } = await startPlacedWorld());
    programme = await world.programme(organizer, tree.pavilion, {
      startsOn: '2031-06-02',
      endsOn: '2031-06-03',
      publish: true,
    });
  });
  afterAll(() => api.close());

  const item = (body: Record<string, unknown>) =>
    world.item(organizer.token, programme, { type: 'conference', spaceId: tree.hall.id, ...body });

  it('publishes the programme with stable UIDs, SEQUENCE = version, UTC times and a full LOCATION', async () => {
    const speaker = await world.speaker(organizer.token, 'Alexander Shestakov');
    const conference = await item({
      title: 'Future of alternative energy',
      startsAt: '2031-06-02T10:00',
      endsAt: '2031-06-02T12:00',
      speakerIds: [speaker.id],
    });
    const feed = async () => {
      const res = await api.get(`/api/programmes/${programme.id}/calendar.ics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/calendar');
      return {
        text: res.text,
        event: events(res.text).find((e) => e.uid === `${conference.id}@pavilion`) as ical.VEvent,
      };
    };
    const before = await feed();
    expect(before.event).toMatchObject({ summary: 'Future of alternative energy', sequence: 1 });
    expect(before.event.start.toISOString()).toBe('2031-06-02T05:00:00.000Z');
    expect(before.text).toContain('DTSTART:20310602T050000Z');
    expect(before.event.location).toBe(`Hall, ${tree.pavilion.name}, ${tree.venue.name}, Astana`);
    expect(before.event.description).toContain('Alexander Shestakov');

    await world.ok(
      api.patch(
        `/api/items/${conference.id}`,
        { startsAt: '2031-06-02T14:00', endsAt: '2031-06-02T16:00' },
        { token: organizer.token },
      ),
    );
    const after = await feed();
    expect(after.event.uid).toBe(before.event.uid);
    expect(after.event.sequence).toBe(2);
    expect(after.event.start.toISOString()).toBe('2031-06-02T09:00:00.000Z');

    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    const moved = await db.query(
      `SELECT item_version, payload FROM outbox WHERE item_id = $1 AND kind = 'item_rescheduled'`,
      [conference.id],
    );
    await db.end();
    expect(moved.rows).toEqual([
      {
        item_version: 2,
        payload: { previous: expect.objectContaining({ startsAt: '2031-06-02T05:00:00.000Z', version: 1 }) },
      },
    ]);
  });

  it('hides a draft programme feed from the public', async () => {
    const draft = await world.programme(organizer, tree.pavilion);
    expectProblem(await api.get(`/api/programmes/${draft.id}/calendar.ics`), 404);
    expect(
      (await api.get(`/api/programmes/${draft.id}/calendar.ics`, { token: organizer.token })).status,
    ).toBe(200);
  });

  it('gives each attendee a personal feed with alarms, keeping cancelled items as CANCELLED', async () => {
    const person = await world.signup();
    const kept = await item({
      title: 'Round table on smart cities',
      type: 'round_table',
      startsAt: '2031-06-03T10:00',
      endsAt: '2031-06-03T11:00',
    });
    const dropped = await item({
      title: 'Negotiations on the air flight',
      type: 'negotiations',
      spaceId: tree.room.id,
      startsAt: '2031-06-03T12:00',
      endsAt: '2031-06-03T13:00',
    });
    for (const i of [kept, dropped])
      await world.ok(api.post(`/api/items/${i.id}/registrations`, {}, { token: person.token }));
    await world.ok(
      api.post(`/api/items/${dropped.id}/cancel`, { reason: 'Postponed' }, { token: organizer.token }),
    );

    const { calendarFeedToken } = await world.ok(api.get('/api/me', { token: person.token }));
    const res = await api.get(`/api/me/agenda.ics?token=${calendarFeedToken}`);
    expect(res.status).toBe(200);
    const agenda = events(res.text);
    const keptEvent = agenda.find((e) => e.uid === `${kept.id}@pavilion`) as ical.VEvent;
    const droppedEvent = agenda.find((e) => e.uid === `${dropped.id}@pavilion`) as ical.VEvent;
    expect(keptEvent.status).toBe('CONFIRMED');
    expect(droppedEvent.status).toBe('CANCELLED');
    expect(keptEvent.alarms?.map((a) => String(a.trigger))).toEqual(['-P1D', '-PT1H']);
    expect(droppedEvent.alarms ?? []).toEqual([]);

    await world.ok(
      api.patch(
        '/api/me',
        { notificationPreferences: { reminderOffsetsMinutes: [30] } },
        { token: person.token },
      ),
    );
    const own = events((await api.get(`/api/me/agenda.ics?token=${calendarFeedToken}`)).text).find(
      (e) => e.uid === keptEvent.uid,
    ) as ical.VEvent;
    expect(own.alarms?.map((a) => String(a.trigger))).toEqual(['-PT30M']);

    await world.ok(api.post('/api/me/calendar-feed-token', {}, { token: person.token }));
    expectProblem(await api.get(`/api/me/agenda.ics?token=${calendarFeedToken}`), 404);
    expectProblem(await api.get('/api/me/agenda.ics?token=not-a-real-token-at-all'), 404);
    expectProblem(await api.get('/api/me/agenda.ics'), 400);
  });
});
