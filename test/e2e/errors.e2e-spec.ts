import { BODY_LIMIT_BYTES } from '../../apps/api/src/bootstrap';
import { expectProblem, TestApi } from '../support/api';
import { startWorld, VenueTree, World } from '../support/world';

describe('errors: every refusal is problem+json and no input produces a 500', () => {
  let api: TestApi;
  let world: World;
  let admin: string;
  let tree: VenueTree;
  let organizer: { organization: any; token: string };
  let programme: any;

  beforeAll(async () => {
    ({ api, world } = await startWorld());
    admin = await world.adminToken();
    tree = await world.venueTree();
    organizer = await world.organizer();
    programme = await world.programme(organizer, tree.pavilion);
  });
  afterAll(() => api.close());

  it('lists every invalid field at once and rejects unknown fields', async () => {
    const res = await api.post(
      '/api/venues',
      { name: '', city: 42, timezone: 'Mars/Olympus', colour: 'red' },
      { token: admin },
    );
    expectProblem(res, 400);
    const fields = res.body.errors.map((e: any) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'city', 'country', 'timezone', 'colour']));
    expect(res.body.errors.find((e: any) => e.field === 'colour').message).toBe('is not an allowed field');
  });

  it('names nested fields of opening hours', async () => {
    const res = await api.post(
      `/api/venues/${tree.venue.id}/pavilions`,
      { name: 'P', openingHours: [{ weekday: 9, opens: '25:00', closes: '10:00' }] },
      { token: admin },
    );
    expectProblem(res, 400);
    expect(res.body.errors.map((e: any) => e.field)).toEqual(
      expect.arrayContaining(['openingHours[0].weekday', 'openingHours[0].opens']),
    );
    const backwards = await api.post(
      `/api/venues/${tree.venue.id}/pavilions`,
      { name: 'P', openingHours: [{ date: '2017-08-15', opens: '18:00', closes: '10:00' }] },
      { token: admin },
    );
    expectProblem(backwards, 400);
    expect(backwards.body.errors[0].field).toBe('openingHours[0].closes');
  });

  /** An item for the programme, as its organizer; `fields` over a valid one-hour conference. */
  const postItem = (fields: Record<string, unknown>) =>
    api.post(
      `/api/programmes/${programme.id}/items`,
      {
        type: 'conference',
        title: 'T',
        spaceId: tree.hall.id,
        startsAt: '2017-08-15T10:00',
        endsAt: '2017-08-15T11:00',
        ...fields,
      },
      { token: organizer.token },
    );
  const postRawVenue = (raw: string) => api.request('POST', '/api/venues', undefined, { token: admin, raw });
  const postProgramme = (fields: Record<string, unknown>) =>
    api.post(
      '/api/programmes',
      { organizationId: organizer.organization.id, pavilionId: tree.pavilion.id, title: 'T', ...fields },
      { token: organizer.token },
    );

  const badInputs: [string, () => Promise<any>, number][] = [
    ['malformed JSON', () => postRawVenue('{"name": '), 400],
    ['a JSON array body', () => postRawVenue('[1,2]'), 400],
    ['a JSON string body', () => postRawVenue('"venue"'), 400],
    ['an empty JSON body', () => postRawVenue(''), 400],
    ['null body', () => postRawVenue('null'), 400],
    [
      'wrong types',
      () =>
        api.post(
          '/api/pavilions/' + tree.pavilion.id + '/spaces',
          { name: ['x'], capacity: '12', kind: 7 },
          { token: admin },
        ),
      400,
    ],
    [
      'a huge string',
      () =>
        api.post(
          '/api/venues',
          { name: 'x'.repeat(100_000), city: 'a', country: 'b', timezone: 'UTC' },
          { token: admin },
        ),
      400,
    ],
    [
      'a body over the size limit',
      () => api.post('/api/venues', { name: 'x'.repeat(BODY_LIMIT_BYTES + 10) }, { token: admin }),
      413,
    ],
    ['a bad UUID in the path', () => api.get('/api/items/1%27%20OR%201=1'), 400],
    ['an unknown id', () => api.get('/api/items/00000000-0000-4000-8000-000000000000'), 404],
    ['an unknown route', () => api.get('/api/no-such-thing'), 404],
    [
      'a date that does not exist',
      () => postItem({ startsAt: '2017-02-30T10:00', endsAt: '2017-02-30T11:00' }),
      400,
    ],
    ['a date-time that is not ISO', () => postItem({ startsAt: 'next tuesday' }), 400],
    ['an unknown item type', () => postItem({ type: 'party' }), 400],
    [
      'a space of another pavilion',
      () => postItem({ type: 'other', spaceId: '00000000-0000-4000-8000-000000000000' }),
      400,
    ],
    [
      'unknown speakers',
      () => postItem({ type: 'other', speakerIds: ['00000000-0000-4000-8000-000000000000'] }),
      400,
    ],
    [
      'a programme that ends before it starts',
      () => postProgramme({ startsOn: '2017-08-16', endsOn: '2017-08-15' }),
      400,
    ],
    [
      'an unknown pavilion',
      () =>
        postProgramme({
          pavilionId: '00000000-0000-4000-8000-000000000000',
          startsOn: '2017-08-15',
          endsOn: '2017-08-15',
        }),
      404,
    ],
    ['a negative limit', () => api.get('/api/venues?limit=-1'), 400],
    ['a non-numeric limit', () => api.get('/api/venues?limit=ten'), 400],
    [
      'a duplicate space name',
      () =>
        api.post(
          `/api/pavilions/${tree.pavilion.id}/spaces`,
          { name: 'HALL', capacity: 5, kind: 'hall' },
          { token: admin },
        ),
      409,
    ],
  ];

  it.each(badInputs)('answers %s with problem+json', async (_name, send, status) => {
    const res = await send();
    expectProblem(res, status);
  });
});
