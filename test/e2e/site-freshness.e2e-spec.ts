import { Client } from 'pg';
import { TestApi } from '../support/api';
import { World } from '../support/world';

/**
 * Programme headers are kept in process memory (revalidation costs no query) until the database notifies a change
 * or this process writes. These tests hold that a kept value never yields a stale 304: a seat taken through the
 * API, through another replica, or by SQL from outside the app changes the ETag.
 */
describe('public pages stay fresh while their fingerprint is kept in memory', () => {
  let api: TestApi;
  let replica: TestApi;
  let world: World;
  let sql: Client;
  let programme: any;
  let pavilion: any;
  let item: any;
  const seatsPath = () => `/programmes/${programme.id}/items/${item.id}/seats?lang=en`;
  const seats = async (on: TestApi, etag?: string) => {
    const res = await on.get(seatsPath(), { headers: etag ? { 'if-none-match': etag } : {} });
    return { status: res.status, etag: res.headers.get('etag') as string, seats: res.body?.seats as string };
  };

  beforeAll(async () => {
    [api, replica] = await Promise.all([TestApi.start(), TestApi.start()]);
    world = new World(api);
    const tree = await world.venueTree();
    pavilion = tree.pavilion;
    const organizer = await world.organizer();
    programme = await world.programme(organizer, tree.pavilion, {
      startsOn: '2031-07-01',
      endsOn: '2031-07-01',
    });
    item = await world.item(organizer.token, programme, {
      type: 'conference',
      title: 'Seats in demand',
      spaceId: tree.hall.id,
      startsAt: '2031-07-01T10:00',
      endsAt: '2031-07-01T11:00',
      capacity: 30,
    });
    await world.ok(api.post(`/api/programmes/${programme.id}/publish`, {}, { token: organizer.token }));
    sql = new Client({ connectionString: process.env.DATABASE_URL });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await Promise.all([api.close(), replica.close()]);
  });

  it('a seat taken just before a revalidation changes the ETag, every time in a row', async () => {
    let before = await seats(api);
    expect(before.seats).toBe('30 seats left');
    expect((await seats(api, before.etag)).status).toBe(304);
    for (let n = 1; n <= 5; n += 1) {
      const person = await world.signup();
      await world.ok(api.post(`/api/items/${item.id}/registrations`, {}, { token: person.token }));
      const after = await seats(api, before.etag);
      expect({ status: after.status, seats: after.seats }).toEqual({
        status: 200,
        seats: `${30 - n} seats left`,
      });
      expect(after.etag).not.toBe(before.etag);
      before = after;
    }
  });

  it('under concurrent registrations and revalidations, no ETag seen mid-way survives a later count', async () => {
    const people = await Promise.all(Array.from({ length: 6 }, () => world.signup()));
    const seen: { etag: string; seats: string }[] = [];
    let done = false;
    const poll = async () => {
      let last = await seats(api);
      seen.push(last);
      while (!done) {
        const next = await seats(api, last.etag);
        if (next.status === 200) seen.push((last = next));
      }
    };
    const pollers = [poll(), poll()];
    await Promise.all(
      people.map((p) => world.ok(api.post(`/api/items/${item.id}/registrations`, {}, { token: p.token }))),
    );
    done = true;
    await Promise.all(pollers);
    const final = await seats(api);
    expect(final.seats).toBe('19 seats left');
    for (const old of seen) {
      const again = await seats(api, old.etag);
      // An ETag answered 304 now must have been given for the count the page shows now.
      if (again.status === 304) expect(old.seats).toBe(final.seats);
      else expect(again.seats).toBe(final.seats);
    }
  });

  it('a write through another replica or by SQL outside the app reaches this one by notification', async () => {
    const start = await seats(replica);
    const person = await world.signup();
    await world.ok(api.post(`/api/items/${item.id}/registrations`, {}, { token: person.token }));
    const viaReplica = await changedWithin(() => seats(replica, start.etag), 2_000);
    expect(viaReplica).toEqual(expect.objectContaining({ status: 200, seats: '18 seats left' }));

    const page = await replica.get(`/programmes/${programme.id}/changes?lang=en`);
    await sql.query(`UPDATE pavilions SET name = 'Renamed pavilion' WHERE id = $1`, [pavilion.id]);
    const renamed = await changedWithin(
      () =>
        replica
          .get(`/programmes/${programme.id}/changes?lang=en`, {
            headers: { 'if-none-match': page.headers.get('etag') as string },
          })
          .then((res) => ({ status: res.status, text: res.text })),
      2_000,
    );
    // The rename is in the changelog, said as what it was and what it is now.
    expect(renamed.text).toContain(`pavilion: ${pavilion.name} → Renamed pavilion`);
    const changes = await world.ok(api.get(`/api/programmes/${programme.id}/changes`));
    expect(changes.items[0]).toEqual(
      expect.objectContaining({ kind: 'programme_changed', fields: ['pavilion'] }),
    );
  });
});

/**
 * Asks until the answer is no longer a 304, within `ms` (far under the 5 s fallback re-check, so a pass means the
 * notification did it). Each answer is awaited before the next request: no sleeping.
 */
async function changedWithin<T extends { status: number }>(ask: () => Promise<T>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const answer = await ask();
    if (answer.status !== 304 || Date.now() > deadline) return answer;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
