import { DateTime } from 'luxon';
import { expectProblem, TestApi } from '../support/api';
import { startWorld, VenueTree, World } from '../support/world';

/** DELETE /api/me (API.md): personal data gone, seats freed with the waitlist promoted, counts kept. */
describe('account erasure', () => {
  let api: TestApi;
  let world: World;

  beforeAll(async () => {
    ({ api, world } = await startWorld());
  });
  afterAll(() => api.close());

  /** An organizer with a programme of one day, four days from now, published in `tree`'s pavilion. */
  async function programmeInFourDays(tree: VenueTree) {
    const organizer = await world.organizer();
    const day = DateTime.utc().plus({ days: 4 }).toISODate() as string;
    const programme = await world.programme(organizer, tree.pavilion, {
      startsOn: day,
      endsOn: day,
      publish: true,
    });
    return { organizer, day, programme };
  }

  it('erases the person: registrations cancelled, the waitlist moves up, the row stays anonymised, credentials die', async () => {
    const admin = await world.adminToken();
    const tree = await world.venueTree({ timezone: 'UTC' });
    const { organizer, day, programme } = await programmeInFourDays(tree);
    const item = await world.item(organizer.token, programme, {
      type: 'round_table',
      title: 'One seat',
      spaceId: tree.room.id,
      startsAt: `${day}T10:00`,
      endsAt: `${day}T11:00`,
      capacity: 1,
    });
    const leaving = await world.signup({ displayName: 'Leaving Person' });
    const waiting = await world.signup();
    await world.ok(api.post(`/api/items/${item.id}/registrations`, {}, { token: leaving.token }));
    await world.ok(api.request('PUT', `/api/items/${item.id}/favourite`, {}, { token: leaving.token }));
    const queued = await world.ok(
      api.post(`/api/items/${item.id}/registrations`, {}, { token: waiting.token }),
    );
    expect(queued.status).toBe('waitlisted');

    expect((await api.delete('/api/me', { token: leaving.token })).status).toBe(204);

    expectProblem(await api.get('/api/me', { token: leaving.token }), 401);
    expectProblem(
      await api.post('/api/auth/login', { email: leaving.email, password: leaving.password }),
      401,
    );
    const mine = (await api.get('/api/me/registrations', { token: waiting.token })).body.items;
    expect(mine).toEqual([expect.objectContaining({ itemId: item.id, status: 'confirmed' })]);
    const read = (await api.get(`/api/items/${item.id}`)).body;
    expect(read).toMatchObject({ registeredCount: 1, waitlistCount: 0 });

    // The row stays for the counts, with nothing personal left.
    const registrants = (
      await api.get(`/api/items/${item.id}/registrations?status=cancelled`, { token: organizer.token })
    ).body.items;
    expect(registrants).toHaveLength(1);
    expect(JSON.stringify(registrants)).not.toContain(leaving.email);
    expect(JSON.stringify(registrants)).not.toContain('Leaving Person');
    const users = await api.get(`/api/users?q=${encodeURIComponent(leaving.email)}`, { token: admin });
    expect(users.body.items).toEqual([]);
    const erased = (await api.get(`/api/users?q=erased-${leaving.user.id}`, { token: admin })).body.items;
    expect(erased).toEqual([expect.objectContaining({ displayName: 'Erased account', organizationIds: [] })]);

    // The address is free to sign up again, as a new person.
    const again = await api.post('/api/auth/signup', {
      email: leaving.email,
      password: 'a fresh start in 2026',
      displayName: 'Back',
    });
    expect(again.status).toBe(201);
    expect(again.body.user.id).not.toBe(leaving.user.id);
  });

  it('erases an organizer from their organization', async () => {
    const admin = await world.adminToken();
    const organizer = await world.organizer();
    const me = (await api.get('/api/me', { token: organizer.token })).body;
    expect((await api.delete('/api/me', { token: organizer.token })).status).toBe(204);
    const members = (
      await api.get(`/api/organizations/${organizer.organization.id}/members`, { token: admin })
    ).body.items;
    expect(members.map((m: any) => m.userId)).not.toContain(me.id);

    expectProblem(await api.delete('/api/me'), 401);
    expectProblem(await api.delete('/api/me', { token: `${organizer.token.slice(0, -3)}abc` }), 401);
  });

  it('erases a B2B participant: profile and messages anonymised, meetings cancelled, their table places free', async () => {
    const admin = await world.adminToken();
    const tree = await world.venueTree({ timezone: 'UTC' });
    const zone = await world.ok(
      api.post(
        `/api/pavilions/${tree.pavilion.id}/spaces`,
        { name: 'B2B corner', capacity: 4, kind: 'b2b_zone', tables: 1 },
        { token: admin },
      ),
    );
    const { organizer, day, programme } = await programmeInFourDays(tree);
    const session = await world.item(organizer.token, programme, {
      type: 'b2b_meetings',
      title: 'Meetings with business',
      spaceId: zone.id,
      startsAt: `${day}T10:00`,
      endsAt: `${day}T10:40`,
    });
    const [leaving, counterpart, third] = [
      await world.signup({ displayName: 'Leaving Person' }),
      await world.signup(),
      await world.signup(),
    ];
    const join = (person: { token: string }, company: string, about?: string) =>
      world.ok(
        api.post(
          `/api/items/${session.id}/b2b/participants`,
          {
            company,
            position: 'Director',
            sector: 'food',
            offers: ['dairy'],
            seeks: ['pipes'],
            languages: ['ru'],
            about,
          },
          { token: person.token },
        ),
      );
    await join(leaving, 'Leaving Foods', 'Call me on +7 700 000 0000');
    const other = await join(counterpart, 'Astana Pipes');
    await join(third, 'Third Trade');
    const meet = async (from: { token: string }, to: { token: string }, message?: string) => {
      const request = await world.ok(
        api.post(
          `/api/items/${session.id}/b2b/requests`,
          { toParticipantId: other.id, message },
          { token: from.token },
        ),
      );
      await world.ok(api.post(`/api/b2b/requests/${request.id}/accept`, {}, { token: to.token }));
      return api.post(
        `/api/items/${session.id}/b2b/meetings`,
        { requestId: request.id, slotStartsAt: `${day}T10:00` },
        { token: from.token },
      );
    };
    expect((await meet(leaving, counterpart, 'Write to leaving@foods.example')).status).toBe(201);
    // The slot's one table place is taken (and the counterpart is busy then).
    const request = await world.ok(
      api.post(
        `/api/items/${session.id}/b2b/requests`,
        { toParticipantId: other.id },
        { token: third.token },
      ),
    );
    await world.ok(api.post(`/api/b2b/requests/${request.id}/accept`, {}, { token: counterpart.token }));
    const book = () =>
      api.post(
        `/api/items/${session.id}/b2b/meetings`,
        { requestId: request.id, slotStartsAt: `${day}T10:00` },
        { token: third.token },
      );
    expectProblem(await book(), 409);

    expect((await api.delete('/api/me', { token: leaving.token })).status).toBe(204);

    const theirs = (await world.ok(api.get('/api/me/meetings', { token: counterpart.token }))).items;
    expect(theirs).toEqual([
      expect.objectContaining({
        status: 'cancelled',
        counterpart: expect.objectContaining({ company: 'Erased account' }),
      }),
    ]);
    const seen = JSON.stringify([
      theirs,
      await world.ok(api.get(`/api/items/${session.id}/b2b/participants`, { token: organizer.token })),
      await world.ok(api.get('/api/me/b2b/requests', { token: counterpart.token })),
    ]);
    for (const personal of ['Leaving Foods', 'Leaving Person', '+7 700', 'leaving@foods.example'])
      expect(seen).not.toContain(personal);
    // Its place is free again: the next pair books it.
    expect((await book()).status).toBe(201);
  });
});
