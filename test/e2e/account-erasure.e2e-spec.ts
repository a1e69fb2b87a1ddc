import { DateTime } from 'luxon';
import { expectProblem, TestApi } from '../support/api';
import { startWorld, World } from '../support/world';

/** DELETE /api/me (API.md): personal data gone, seats freed with the waitlist promoted, counts kept. */
describe('account erasure', () => {
  let api: TestApi;
  let world: World;

  beforeAll(async () => {
    ({ api, world } = await startWorld());
  });
  afterAll(() => api.close());

  it('erases the person: registrations cancelled, the waitlist moves up, the row stays anonymised, credentials die', async () => {
    const admin = await world.adminToken();
    const tree = await world.venueTree({ timezone: 'UTC' });
    const organizer = await world.organizer();
    const day = DateTime.utc().plus({ days: 4 }).toISODate() as string;
    const programme = await world.programme(organizer, tree.pavilion, {
      startsOn: day,
      endsOn: day,
      publish: true,
    });
    const item = await world.ok(
      api.post(
        `/api/programmes/${programme.id}/items`,
        {
          type: 'round_table',
          title: 'One seat',
          spaceId: tree.room.id,
          startsAt: `${day}T10:00`,
          endsAt: `${day}T11:00`,
          capacity: 1,
        },
        { token: organizer.token },
      ),
    );
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
});
