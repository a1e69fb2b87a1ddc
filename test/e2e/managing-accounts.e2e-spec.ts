import { DateTime } from 'luxon';
import { expectProblem, TestApi } from '../support/api';
import { runMigrations } from '@pavilion/database';
import { migrations } from '../../migrations';
import { scratchDatabase } from '../support/scratch-database';
import { World } from '../support/world';

/** Everyday management of programmes, organizations and accounts (API.md): deletes, members, roles. */
describe('managing programmes, organizations and users', () => {
  let api: TestApi;
  let world: World;
  let admin: string;
  let dropDatabase: () => Promise<void>;

  // A database of its own: the last-admin rule is about every admin there is.
  beforeAll(async () => {
    const scratch = await scratchDatabase('accounts-admin');
    dropDatabase = scratch.drop;
    await runMigrations(scratch.url, migrations, 'up');
    api = await TestApi.start({ DATABASE_URL: scratch.url });
    world = new World(api);
    admin = await world.adminToken();
  });
  afterAll(async () => {
    await api.close();
    await dropDatabase();
  });

  const day = DateTime.utc().plus({ days: 5 }).toISODate() as string;

  it('deletes a draft with its items; a published programme or one with registrations stays (409)', async () => {
    const tree = await world.venueTree({ timezone: 'UTC' });
    const organizer = await world.organizer();
    const token = organizer.token;
    const draft = await world.programme(organizer, tree.pavilion, { startsOn: day, endsOn: day });
    const item = await world.item(token, draft, {
      type: 'conference',
      title: 'Draft talk',
      spaceId: tree.hall.id,
      startsAt: `${day}T10:00`,
      endsAt: `${day}T11:00`,
    });
    expect((await api.delete(`/api/programmes/${draft.id}`, { token })).status).toBe(204);
    expectProblem(await api.get(`/api/programmes/${draft.id}`, { token }), 404);
    expectProblem(await api.get(`/api/items/${item.id}`, { token }), 404);
    expectProblem(await api.delete(`/api/programmes/${draft.id}`, { token }), 404);
    // Its slot is free again.
    const again = await world.programme(organizer, tree.pavilion, { startsOn: day, endsOn: day });
    const reuse = await api.post(
      `/api/programmes/${again.id}/items`,
      {
        type: 'conference',
        title: 'Same slot',
        spaceId: tree.hall.id,
        startsAt: `${day}T10:00`,
        endsAt: `${day}T11:00`,
      },
      { token },
    );
    expect(reuse.status).toBe(201);

    const published = await world.ok(api.post(`/api/programmes/${again.id}/publish`, {}, { token }));
    expectProblem(await api.delete(`/api/programmes/${published.id}`, { token }), 409);
    const attendee = await world.signup();
    await world.ok(api.post(`/api/items/${reuse.body.id}/registrations`, {}, { token: attendee.token }));
    expect((await api.get(`/api/programmes/${again.id}`)).status).toBe(200);
  });

  it('lists, renames and removes members; the removed organizer loses the rights at once', async () => {
    const owner = await world.organizer();
    const orgId = owner.organization.id;
    const second = await world.signup();
    await world.ok(
      api.post(`/api/organizations/${orgId}/members`, { email: second.email }, { token: admin }),
    );
    const secondLogin = await world.ok(
      api.post('/api/auth/login', { email: second.email, password: second.password }),
    );

    const listed = await api.get(`/api/organizations/${orgId}/members`, { token: owner.token });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((m: any) => m.email)).toEqual([owner.email, second.email]);
    const stranger = await world.organizer();
    expectProblem(await api.get(`/api/organizations/${orgId}/members`, { token: stranger.token }), 403);

    const renamed = await api.patch(
      `/api/organizations/${orgId}`,
      { name: `Renamed ${orgId.slice(0, 8)}` },
      { token: admin },
    );
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe(`Renamed ${orgId.slice(0, 8)}`);
    expectProblem(
      await api.patch(
        `/api/organizations/${orgId}`,
        { name: stranger.organization.name.toUpperCase() },
        { token: admin },
      ),
      409,
    );
    expectProblem(
      await api.patch(`/api/organizations/${orgId}`, { name: 'Mine now' }, { token: owner.token }),
      403,
    );

    // The second member's token still works but no longer acts for the organization, and they are an attendee.
    const before = await api.get(`/api/organizations/${orgId}`, { token: secondLogin.accessToken });
    expect(before.status).toBe(200);
    expect(
      (await api.delete(`/api/organizations/${orgId}/members/${second.user.id}`, { token: admin })).status,
    ).toBe(204);
    expectProblem(await api.get(`/api/organizations/${orgId}`, { token: secondLogin.accessToken }), 403);
    const me = await api.get('/api/me', { token: secondLogin.accessToken });
    expect(me.body).toMatchObject({ role: 'attendee', organizationIds: [] });
    expectProblem(
      await api.delete(`/api/organizations/${orgId}/members/${second.user.id}`, { token: admin }),
      404,
    );
    expectProblem(
      await api.delete(`/api/organizations/${orgId}/members/${owner.organization.id}`, {
        token: owner.token,
      }),
      403,
    );
  });

  it('lets admins list users and change a role, within the rules', async () => {
    const person = await world.signup({ displayName: 'Zhanar Listed' });
    const found = await api.get(`/api/users?q=${encodeURIComponent(person.email)}`, { token: admin });
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([expect.objectContaining({ id: person.user.id, role: 'attendee' })]);
    const admins = await api.get('/api/users?role=admin', { token: admin });
    expect(admins.body.items.every((u: any) => u.role === 'admin')).toBe(true);
    const page = await api.get('/api/users?limit=1', { token: admin });
    expect(page.body.items).toHaveLength(1);
    const next = await api.get(`/api/users?limit=1&cursor=${page.body.nextCursor}`, { token: admin });
    expect(next.body.items[0].email > page.body.items[0].email).toBe(true);
    expectProblem(await api.get('/api/users', { token: person.token }), 403);

    // organizer needs an organization
    expectProblem(
      await api.patch(`/api/users/${person.user.id}`, { role: 'organizer' }, { token: admin }),
      409,
    );
    const promoted = await api.patch(`/api/users/${person.user.id}`, { role: 'admin' }, { token: admin });
    expect(promoted.body.role).toBe('admin');
    expect(
      (
        await api.post(
          '/api/venues',
          { name: 'By a new admin', city: 'Astana', country: 'KZ', timezone: 'UTC' },
          { token: person.token },
        )
      ).status,
    ).toBe(201);
    const demoted = await api.patch(`/api/users/${person.user.id}`, { role: 'attendee' }, { token: admin });
    expect(demoted.body.role).toBe('attendee');
    expectProblem(
      await api.post(
        '/api/venues',
        { name: 'No more', city: 'Astana', country: 'KZ', timezone: 'UTC' },
        { token: person.token },
      ),
      403,
    );

    // An organizer made an attendee leaves their organizations.
    const organizer = await world.organizer();
    const organizerId = (await api.get('/api/me', { token: organizer.token })).body.id;
    await world.ok(api.patch(`/api/users/${organizerId}`, { role: 'attendee' }, { token: admin }));
    expect((await api.get('/api/me', { token: organizer.token })).body.organizationIds).toEqual([]);

    expectProblem(await api.patch(`/api/users/${person.user.id}`, { role: 'root' }, { token: admin }), 400);
    expectProblem(
      await api.patch('/api/users/00000000-0000-4000-8000-000000000000', { role: 'admin' }, { token: admin }),
      404,
    );
  });

  it('never lets the last admin stop being one, nor erase their account', async () => {
    const me = (await api.get('/api/me', { token: admin })).body;
    const admins = (await api.get('/api/users?role=admin&limit=200', { token: admin })).body.items;
    expect(admins.map((u: any) => u.id)).toEqual([me.id]);
    const refused = await api.patch(`/api/users/${me.id}`, { role: 'attendee' }, { token: admin });
    expectProblem(refused, 409);
    expectProblem(await api.delete('/api/me', { token: admin }), 409);
    expect((await api.get('/api/me', { token: admin })).body.role).toBe('admin');
  });
});
