import { DateTime } from 'luxon';
import { expectProblem, TestApi } from '../support/api';
import { startWorld, World } from '../support/world';

/** Check-in staff (API.md): organizers name checkers, who may only check people in for their organization's items. */
describe('check-in staff', () => {
  let api: TestApi;
  let world: World;

  beforeAll(async () => {
    ({ api, world } = await startWorld());
  });
  afterAll(() => api.close());

  it('a checker checks people in for the organization’s items, and can do nothing else; removed, not even that', async () => {
    const tree = await world.venueTree({ timezone: 'UTC' });
    const day = DateTime.utc().plus({ days: 2 }).toISODate() as string;
    const organizer = await world.organizer();
    const other = await world.organizer();
    const programme = await world.programme(organizer, tree.pavilion, {
      startsOn: day,
      endsOn: day,
      publish: true,
    });
    const elsewhere = await world.programme(other, tree.pavilion, {
      startsOn: day,
      endsOn: day,
      publish: true,
    });
    const itemOf = (p: any, token: string, spaceId: string) =>
      world.item(token, p, {
        type: 'conference',
        title: 'Door',
        spaceId,
        startsAt: `${day}T10:00`,
        endsAt: `${day}T11:00`,
      });
    const item = await itemOf(programme, organizer.token, tree.hall.id);
    const otherItem = await itemOf(elsewhere, other.token, tree.room.id);
    const guest = await world.signup();
    const registration = await world.ok(
      api.post(`/api/items/${item.id}/registrations`, {}, { token: guest.token }),
    );
    const otherGuest = await world.signup();
    const otherRegistration = await world.ok(
      api.post(`/api/items/${otherItem.id}/registrations`, {}, { token: otherGuest.token }),
    );
    const codeOf = async (itemId: string) =>
      (await api.get('/api/me/registrations', { token: guest.token })).body.items.find(
        (r: any) => r.itemId === itemId,
      ).checkInCode;

    const staff = await world.signup();
    const named = await api.post(
      `/api/organizations/${organizer.organization.id}/checkers`,
      { email: staff.email },
      { token: organizer.token },
    );
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ userId: staff.user.id, email: staff.email });
    expectProblem(
      await api.post(
        `/api/organizations/${organizer.organization.id}/checkers`,
        { email: staff.email },
        { token: organizer.token },
      ),
      409,
    );
    expectProblem(
      await api.post(
        `/api/organizations/${organizer.organization.id}/checkers`,
        { email: staff.email },
        { token: other.token },
      ),
      403,
    );
    const listed = await api.get(`/api/organizations/${organizer.organization.id}/checkers`, {
      token: organizer.token,
    });
    expect(listed.body.items.map((c: any) => c.userId)).toEqual([staff.user.id]);
    // Not an organizer: the member list and the person's own organizations do not show them.
    const members = await api.get(`/api/organizations/${organizer.organization.id}/members`, {
      token: organizer.token,
    });
    expect(members.body.items.map((m: any) => m.userId)).not.toContain(staff.user.id);
    expect((await api.get('/api/me', { token: staff.token })).body).toMatchObject({
      role: 'attendee',
      organizationIds: [],
    });

    const checkedIn = await api.post(
      `/api/items/${item.id}/check-ins`,
      { code: await codeOf(item.id) },
      { token: staff.token },
    );
    expect(checkedIn.status).toBe(201);
    expect(checkedIn.body).toMatchObject({ id: registration.id });
    expect(checkedIn.body.checkedInAt).toEqual(expect.any(String));

    expectProblem(
      await api.post(
        `/api/items/${otherItem.id}/check-ins`,
        { registrationId: otherRegistration.id },
        { token: staff.token },
      ),
      403,
    );
    expectProblem(await api.get(`/api/items/${item.id}/registrations`, { token: staff.token }), 403);
    expectProblem(
      await api.patch(`/api/items/${item.id}`, { title: 'Taken over' }, { token: staff.token }),
      403,
    );
    expectProblem(
      await api.get(`/api/organizations/${organizer.organization.id}/checkers`, { token: staff.token }),
      403,
    );

    expect(
      (
        await api.delete(`/api/organizations/${organizer.organization.id}/checkers/${staff.user.id}`, {
          token: organizer.token,
        })
      ).status,
    ).toBe(204);
    const later = await world.signup();
    const laterRegistration = await world.ok(
      api.post(`/api/items/${item.id}/registrations`, {}, { token: later.token }),
    );
    expectProblem(
      await api.post(
        `/api/items/${item.id}/check-ins`,
        { registrationId: laterRegistration.id },
        { token: staff.token },
      ),
      403,
    );
    expectProblem(
      await api.delete(`/api/organizations/${organizer.organization.id}/checkers/${staff.user.id}`, {
        token: organizer.token,
      }),
      404,
    );
  });
});
