import { JwtService } from '@nestjs/jwt';
import { MAX_JSON_DEPTH } from '../../apps/api/src/http/json-body';
import { ApiResponse, expectProblem, TestApi } from '../support/api';
import { VenueTree, World } from '../support/world';

/** Input an attacker would send (issue 11's findings): each answer is problem+json and below 500. */
describe('hostile input: no 500 and problem+json for every refusal', () => {
  let api: TestApi;
  let world: World;
  let admin: string;
  let tree: VenueTree;
  let zone: any;
  let organizer: { organization: any; token: string };
  let programme: any;
  let item: any;
  let session: any;
  let attendee: { token: string; email: string };
  let speaker: any;
  let openapi: any;

  const uuid = '6f1c2a9e-0d3b-4c8e-9a55-3f0e2b7d1c44';
  const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
  const deep = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

  beforeAll(async () => {
    api = await TestApi.start();
    world = new World(api);
    admin = await world.adminToken();
    tree = await world.venueTree();
    zone = await world.ok(
      api.post(
        `/api/pavilions/${tree.pavilion.id}/spaces`,
        { name: 'B2B zone', capacity: 40, kind: 'b2b_zone', tables: 5 },
        { token: admin },
      ),
    );
    organizer = await world.organizer();
    programme = await world.programme(organizer, tree.pavilion, { publish: true });
    item = await world.ok(
      api.post(
        `/api/programmes/${programme.id}/items`,
        {
          type: 'conference',
          title: 'Future of alternative energy',
          spaceId: tree.hall.id,
          startsAt: '2017-08-15T10:00',
          endsAt: '2017-08-15T11:00',
        },
        { token: organizer.token },
      ),
    );
    session = await world.ok(
      api.post(
        `/api/programmes/${programme.id}/items`,
        {
          type: 'b2b_meetings',
          title: 'Meetings with business',
          spaceId: zone.id,
          startsAt: '2017-08-15T12:00',
          endsAt: '2017-08-15T13:00',
        },
        { token: organizer.token },
      ),
    );
    attendee = await world.signup();
    speaker = await world.speaker(organizer.token);
    openapi = (await api.get('/docs-json')).body;
  });
  afterAll(() => api.close());

  /**
   * Every list path that takes ?cursor=, with its path parameters filled by ids the caller may list, and
   * whether its key is text (any text is a valid position there) or typed (a date, an instant, a count).
   */
  const listPaths = (): [string, () => string, 'text' | 'typed'][] => [
    ['/api/venues', () => admin, 'text'],
    ['/api/speakers', () => organizer.token, 'text'],
    ['/api/programmes', () => admin, 'typed'],
    [`/api/programmes/${programme.id}/items`, () => admin, 'typed'],
    ['/api/me/notifications', () => attendee.token, 'typed'],
    ['/api/admin/deliveries', () => admin, 'typed'],
    [`/api/items/${item.id}/registrations`, () => organizer.token, 'typed'],
    [`/api/items/${session.id}/b2b/participants`, () => organizer.token, 'text'],
  ];

  it('covers every list operation that takes a cursor', () => {
    const withCursor = Object.entries(openapi.paths as Record<string, any>)
      .filter(([, ops]) => ops.get?.parameters?.some((p: any) => p.name === 'cursor' && p.in === 'query'))
      .map(([path]) => path);
    const covered = listPaths().map(([path]) => path.replace(/[0-9a-f-]{36}/g, '{id}'));
    expect(covered.sort()).toEqual(withCursor.sort());
  });

  it.each([
    ['an id that is not a UUID', cursor(['abc', 'not-a-uuid']), false],
    ['text where a date, an instant or a count belongs', cursor(['abc', uuid]), true],
    ['a NUL in the key', cursor(['a\u0000b', uuid]), false],
    ['numbers only', cursor([1, 2]), false],
    ['garbage', '%%%not-base64', false],
  ])('refuses a tampered cursor (%s) on every list', async (_name, tampered, typedOnly) => {
    for (const [path, token, kind] of listPaths()) {
      if (typedOnly && kind === 'text') continue;
      const res = await api.get(`${path}?cursor=${encodeURIComponent(tampered)}`, { token: token() });
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    }
  });

  it(`refuses a JSON body nested past ${MAX_JSON_DEPTH} levels on every operation that takes one`, async () => {
    const operations = Object.entries(openapi.paths as Record<string, any>).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]: [string, any]) => op.requestBody?.content?.['application/json'])
        .map(([method]) => [method.toUpperCase(), path.replace(/\{[^}]+\}/g, uuid)] as const),
    );
    expect(operations.length).toBeGreaterThan(20);
    for (const [method, path] of operations) {
      const res = await api.request(method, path, undefined, { token: admin, raw: deep(10_000) });
      expectProblem(res, 400);
    }
    // The limit itself is fine; one more level is not.
    const limit = deep(MAX_JSON_DEPTH - 1).replace('"a":1', '"a":1');
    expectProblem(await api.request('PATCH', '/api/me', undefined, { token: admin, raw: limit }), 400);
    expect(
      (await api.request('PATCH', '/api/me', undefined, { token: admin, raw: deep(MAX_JSON_DEPTH + 1) })).body
        .errors,
    ).toEqual([{ field: 'body', message: `nests deeper than ${MAX_JSON_DEPTH} levels` }]);
  });

  const send = (method: string, path: () => string, body: unknown, token: () => string) => () =>
    api.request(method, path(), body, { token: token() });

  const cases: [string, () => Promise<ApiResponse>, number, string | null][] = [
    // null for a field that is not nullable
    [
      'PATCH /api/me {locale: null}',
      send(
        'PATCH',
        () => '/api/me',
        { locale: null },
        () => admin,
      ),
      400,
      'locale',
    ],
    [
      'PATCH /api/me {displayName: null}',
      send(
        'PATCH',
        () => '/api/me',
        { displayName: null },
        () => admin,
      ),
      400,
      'displayName',
    ],
    [
      'PATCH /api/me {notificationPreferences: {email: null}}',
      send(
        'PATCH',
        () => '/api/me',
        { notificationPreferences: { email: null } },
        () => admin,
      ),
      400,
      'notificationPreferences.email',
    ],
    [
      'PATCH item {registrationRequired: null}',
      send(
        'PATCH',
        () => `/api/items/${item.id}`,
        { registrationRequired: null },
        () => organizer.token,
      ),
      400,
      'registrationRequired',
    ],
    [
      'PATCH item {title: null}',
      send(
        'PATCH',
        () => `/api/items/${item.id}`,
        { title: null },
        () => organizer.token,
      ),
      400,
      'title',
    ],
    [
      'PATCH programme {languages: null}',
      send(
        'PATCH',
        () => `/api/programmes/${programme.id}`,
        { languages: null },
        () => organizer.token,
      ),
      400,
      'languages',
    ],
    [
      'PATCH programme {startsOn: null}',
      send(
        'PATCH',
        () => `/api/programmes/${programme.id}`,
        { startsOn: null },
        () => organizer.token,
      ),
      400,
      'startsOn',
    ],
    [
      'a pavilion with {openingHours: [{weekday: null, …}]}',
      send(
        'POST',
        () => `/api/venues/${tree.venue.id}/pavilions`,
        { name: 'P', openingHours: [{ weekday: null, opens: '09:00', closes: '18:00' }] },
        () => admin,
      ),
      400,
      'openingHours[0].weekday',
    ],
    // NUL characters
    [
      'a NUL in a speaker name',
      send(
        'POST',
        () => '/api/speakers',
        { name: 'a\u0000b' },
        () => organizer.token,
      ),
      400,
      'name',
    ],
    [
      'a NUL in a space name',
      send(
        'POST',
        () => `/api/pavilions/${tree.pavilion.id}/spaces`,
        { name: 'a\u0000b', capacity: 5, kind: 'hall' },
        () => admin,
      ),
      400,
      'name',
    ],
    [
      'a NUL in a pavilion name',
      send(
        'POST',
        () => `/api/venues/${tree.venue.id}/pavilions`,
        { name: 'a\u0000b', openingHours: [] },
        () => admin,
      ),
      400,
      'name',
    ],
    [
      'a NUL in a venue city',
      send(
        'POST',
        () => '/api/venues',
        { name: 'V', city: 'a\u0000b', country: 'K', timezone: 'UTC' },
        () => admin,
      ),
      400,
      'city',
    ],
    [
      'a NUL in an item title',
      send(
        'PATCH',
        () => `/api/items/${item.id}`,
        { title: 'a\u0000b' },
        () => organizer.token,
      ),
      400,
      'title',
    ],
    ['a NUL in a query string', () => api.get('/api/speakers?q=a%00b', { token: organizer.token }), 400, 'q'],
    [
      'a NUL in a space closure reason',
      send(
        'POST',
        () => `/api/spaces/${tree.hall.id}/closures`,
        { from: '2017-08-20T09:00', to: '2017-08-20T10:00', reason: 'a\u0000b' },
        () => admin,
      ),
      400,
      'reason',
    ],
    [
      'PATCH speaker {availability: [{from: null, …}]}',
      send(
        'PATCH',
        () => `/api/speakers/${speaker.id}`,
        { availability: [{ from: null, to: '2017-08-15T18:00:00+06:00' }] },
        () => organizer.token,
      ),
      400,
      'availability[0].from',
    ],
    // lone surrogates
    [
      'a lone surrogate in a login email',
      send(
        'POST',
        () => '/api/auth/login',
        { email: '\ud800x@example.org', password: 'whatever-it-is' },
        () => '',
      ),
      400,
      'email',
    ],
    [
      'a lone surrogate in a member email',
      send(
        'POST',
        () => `/api/organizations/${organizer.organization.id}/members`,
        { email: 'x\udc00@example.org' },
        () => admin,
      ),
      400,
      'email',
    ],
    [
      'a lone surrogate in a speaker name',
      send(
        'POST',
        () => '/api/speakers',
        { name: 'Boris \ud800' },
        () => organizer.token,
      ),
      400,
      'name',
    ],
    [
      'a lone surrogate in a field name',
      send(
        'POST',
        () => '/api/speakers',
        { ['na\ud800me']: 'x', name: 'ok' },
        () => organizer.token,
      ),
      400,
      null,
    ],
    // bytes that are not UTF-8
    [
      'invalid UTF-8 in an item title',
      () =>
        api.request('PATCH', `/api/items/${item.id}`, undefined, {
          token: organizer.token,
          raw: Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]),
        }),
      400,
      'body',
    ],
    [
      'invalid UTF-8 in a programme title',
      () =>
        api.request('PATCH', `/api/programmes/${programme.id}`, undefined, {
          token: organizer.token,
          raw: Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
        }),
      400,
      'body',
    ],
    [
      'a media type the API does not read',
      () =>
        api.request('POST', '/api/speakers', undefined, {
          token: organizer.token,
          headers: { 'content-type': 'application/xml' },
          raw: '<speaker><name>x</name></speaker>',
        }),
      415,
      null,
    ],
    [
      'a JSON body sent as text/plain',
      () =>
        api.request('POST', '/api/speakers', undefined, {
          token: organizer.token,
          headers: { 'content-type': 'text/plain' },
          raw: '{"name":"x"}',
        }),
      400,
      null,
    ],
    // tokens and URLs
    [
      'a validly signed token whose sub is not a UUID',
      () =>
        api.get('/api/me', { token: new JwtService({ secret: process.env.JWT_SECRET }).sign({ sub: 'x' }) }),
      401,
      null,
    ],
    [
      'a validly signed token whose sub is SQL',
      () =>
        api.get('/api/me', {
          token: new JwtService({ secret: process.env.JWT_SECRET }).sign({ sub: "' OR 1=1 --" }),
        }),
      401,
      null,
    ],
    ['a path parameter over 100 characters', () => api.get(`/api/items/${'a'.repeat(150)}`), 414, null],
    ['bad percent-encoding in the path', () => api.get('/api/items/%E0%A4%A'), 400, null],
  ];

  it.each(cases)('answers %s', async (_name, run, status, field) => {
    const res = await run();
    expectProblem(res, status);
    if (field) expect(res.body.errors.map((e: any) => e.field)).toContain(field);
  });

  it('still takes what is allowed: emoji, nullable fields set to null, the deepest allowed body', async () => {
    const speaker = await world.ok(
      api.post('/api/speakers', { name: 'Айгерим 🎪' }, { token: organizer.token }),
    );
    expect(speaker.name).toBe('Айгерим 🎪');
    const me = await world.ok(api.patch('/api/me', { timezone: null }, { token: attendee.token }));
    expect(me.timezone).toBeNull();
    const patched = await world.ok(
      api.patch(`/api/items/${item.id}`, { description: null }, { token: organizer.token }),
    );
    expect(patched.description).toBeNull();
    const prefs = { notificationPreferences: { reminderOffsetsMinutes: [60] } };
    expect((await api.patch('/api/me', prefs, { token: attendee.token })).status).toBe(200);
  });

  it('declares the problem answers on every operation in OpenAPI', () => {
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(openapi.paths as Record<string, any>)) {
      for (const [method, op] of Object.entries(ops as Record<string, any>)) {
        for (const status of ['400', '401', '403', '404', '409', '413', '415', '429']) {
          const content = op.responses?.[status]?.content?.['application/problem+json'];
          if (!content) missing.push(`${method.toUpperCase()} ${path} ${status}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(openapi.components.schemas.ProblemDetails.required).toEqual(['type', 'title', 'status', 'detail']);
  });
});
