import { JwtService } from '@nestjs/jwt';
import { ApiResponse, TestApi } from './api';
import { VenueTree } from './world';

/** What the hostile-input cases act on, built by the spec's beforeAll. */
export interface HostileFixture {
  api: TestApi;
  admin: string;
  tree: VenueTree;
  organizer: { organization: any; token: string };
  programme: any;
  item: any;
  speaker: any;
}

export type HostileCase = [
  name: string,
  run: () => Promise<ApiResponse>,
  status: number,
  field: string | null,
];

/**
 * Issue 11's findings, one row each: what is sent, the status expected (always problem+json), and the field
 * the refusal must name. `f()` is read when a case runs, after the fixture exists.
 */
export function hostileCases(f: () => HostileFixture): HostileCase[] {
  const send = (method: string, path: () => string, body: unknown, token: () => string) => () =>
    f().api.request(method, path(), body, { token: token() });
  const api = {
    request: (...args: Parameters<TestApi['request']>) => f().api.request(...args),
    get: (...args: Parameters<TestApi['get']>) => f().api.get(...args),
  };
  return [
    // null for a field that is not nullable
    [
      'PATCH /api/me {locale: null}',
      send(
        'PATCH',
        () => '/api/me',
        { locale: null },
        () => f().admin,
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
        () => f().admin,
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
        () => f().admin,
      ),
      400,
      'notificationPreferences.email',
    ],
    [
      'PATCH f().item {registrationRequired: null}',
      send(
        'PATCH',
        () => `/api/items/${f().item.id}`,
        { registrationRequired: null },
        () => f().organizer.token,
      ),
      400,
      'registrationRequired',
    ],
    [
      'PATCH f().item {title: null}',
      send(
        'PATCH',
        () => `/api/items/${f().item.id}`,
        { title: null },
        () => f().organizer.token,
      ),
      400,
      'title',
    ],
    [
      'PATCH f().programme {languages: null}',
      send(
        'PATCH',
        () => `/api/programmes/${f().programme.id}`,
        { languages: null },
        () => f().organizer.token,
      ),
      400,
      'languages',
    ],
    [
      'PATCH f().programme {startsOn: null}',
      send(
        'PATCH',
        () => `/api/programmes/${f().programme.id}`,
        { startsOn: null },
        () => f().organizer.token,
      ),
      400,
      'startsOn',
    ],
    [
      'a pavilion with {openingHours: [{weekday: null, …}]}',
      send(
        'POST',
        () => `/api/venues/${f().tree.venue.id}/pavilions`,
        { name: 'P', openingHours: [{ weekday: null, opens: '09:00', closes: '18:00' }] },
        () => f().admin,
      ),
      400,
      'openingHours[0].weekday',
    ],
    // NUL characters
    [
      'a NUL in a f().speaker name',
      send(
        'POST',
        () => '/api/speakers',
        { name: 'a\u0000b' },
        () => f().organizer.token,
      ),
      400,
      'name',
    ],
    [
      'a NUL in a space name',
      send(
        'POST',
        () => `/api/pavilions/${f().tree.pavilion.id}/spaces`,
        { name: 'a\u0000b', capacity: 5, kind: 'hall' },
        () => f().admin,
      ),
      400,
      'name',
    ],
    [
      'a NUL in a pavilion name',
      send(
        'POST',
        () => `/api/venues/${f().tree.venue.id}/pavilions`,
        { name: 'a\u0000b', openingHours: [] },
        () => f().admin,
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
        () => f().admin,
      ),
      400,
      'city',
    ],
    [
      'a NUL in an f().item title',
      send(
        'PATCH',
        () => `/api/items/${f().item.id}`,
        { title: 'a\u0000b' },
        () => f().organizer.token,
      ),
      400,
      'title',
    ],
    [
      'a NUL in a query string',
      () => api.get('/api/speakers?q=a%00b', { token: f().organizer.token }),
      400,
      'q',
    ],
    [
      'a NUL in a space closure reason',
      send(
        'POST',
        () => `/api/spaces/${f().tree.hall.id}/closures`,
        { from: '2017-08-20T09:00', to: '2017-08-20T10:00', reason: 'a\u0000b' },
        () => f().admin,
      ),
      400,
      'reason',
    ],
    [
      'PATCH f().speaker {availability: [{from: null, …}]}',
      send(
        'PATCH',
        () => `/api/speakers/${f().speaker.id}`,
        { availability: [{ from: null, to: '2017-08-15T18:00:00+06:00' }] },
        () => f().organizer.token,
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
        () => `/api/organizations/${f().organizer.organization.id}/members`,
        { email: 'x\udc00@example.org' },
        () => f().admin,
      ),
      400,
      'email',
    ],
    [
      'a lone surrogate in a f().speaker name',
      send(
        'POST',
        () => '/api/speakers',
        { name: 'Boris \ud800' },
        () => f().organizer.token,
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
        () => f().organizer.token,
      ),
      400,
      null,
    ],
    // bytes that are not UTF-8
    [
      'invalid UTF-8 in an f().item title',
      () =>
        api.request('PATCH', `/api/items/${f().item.id}`, undefined, {
          token: f().organizer.token,
          raw: Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]),
        }),
      400,
      'body',
    ],
    [
      'invalid UTF-8 in a f().programme title',
      () =>
        api.request('PATCH', `/api/programmes/${f().programme.id}`, undefined, {
          token: f().organizer.token,
          raw: Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
        }),
      400,
      'body',
    ],
    [
      'a media type the API does not read',
      () =>
        api.request('POST', '/api/speakers', undefined, {
          token: f().organizer.token,
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
          token: f().organizer.token,
          headers: { 'content-type': 'text/plain' },
          raw: '{"name":"x"}',
        }),
      400,
      null,
    ],
    // everyday management: edits take the rules of creation, nulls and NULs included
    [
      'PATCH a venue {timezone: "Mars/Olympus"}',
      send(
        'PATCH',
        () => `/api/venues/${f().tree.venue.id}`,
        { timezone: 'Mars/Olympus' },
        () => f().admin,
      ),
      400,
      'timezone',
    ],
    [
      'PATCH a venue {name: null}',
      send(
        'PATCH',
        () => `/api/venues/${f().tree.venue.id}`,
        { name: null },
        () => f().admin,
      ),
      400,
      'name',
    ],
    [
      'PATCH a pavilion {openingHours: []}',
      send(
        'PATCH',
        () => `/api/pavilions/${f().tree.pavilion.id}`,
        { openingHours: [] },
        () => f().admin,
      ),
      400,
      'openingHours',
    ],
    [
      'PATCH a pavilion {displace: "true"}',
      send(
        'PATCH',
        () => `/api/pavilions/${f().tree.pavilion.id}`,
        { displace: 'true' },
        () => f().admin,
      ),
      400,
      'displace',
    ],
    [
      'PATCH a space {capacity: -1}',
      send(
        'PATCH',
        () => `/api/spaces/${f().tree.room.id}`,
        { capacity: -1 },
        () => f().admin,
      ),
      400,
      'capacity',
    ],
    [
      'a NUL in a space rename',
      send(
        'PATCH',
        () => `/api/spaces/${f().tree.room.id}`,
        { name: 'a\u0000b' },
        () => f().admin,
      ),
      400,
      'name',
    ],
    [
      'PATCH f().speaker {email: 42}',
      send(
        'PATCH',
        () => `/api/speakers/${f().speaker.id}`,
        { email: 42 },
        () => f().organizer.token,
      ),
      400,
      'email',
    ],
    [
      'DELETE a space that is not a UUID',
      () => f().api.request('DELETE', '/api/spaces/not-a-uuid', undefined, { token: f().admin }),
      400,
      'id',
    ],
    [
      'DELETE an unknown venue',
      () =>
        f().api.request('DELETE', '/api/venues/00000000-0000-4000-8000-000000000000', undefined, {
          token: f().admin,
        }),
      404,
      null,
    ],
    [
      'PATCH a user {role: null}',
      send(
        'PATCH',
        () => `/api/users/${f().organizer.organization.id}`,
        { role: null },
        () => f().admin,
      ),
      400,
      'role',
    ],
    [
      'a NUL in an organization rename',
      send(
        'PATCH',
        () => `/api/organizations/${f().organizer.organization.id}`,
        { name: 'a\u0000b' },
        () => f().admin,
      ),
      400,
      'name',
    ],
    [
      'DELETE a member whose id is not a UUID',
      () =>
        f().api.request(
          'DELETE',
          `/api/organizations/${f().organizer.organization.id}/members/1%20OR%201=1`,
          undefined,
          { token: f().admin },
        ),
      400,
      'userId',
    ],
    [
      'GET /api/users?role=root',
      () => f().api.get('/api/users?role=root', { token: f().admin }),
      400,
      'role',
    ],
    [
      'a password reset for {email: null}',
      send(
        'POST',
        () => '/api/auth/password-reset',
        { email: null },
        () => '',
      ),
      400,
      'email',
    ],
    [
      'a password-reset confirmation with a NUL in the token',
      send(
        'POST',
        () => '/api/auth/password-reset/confirm',
        { token: 'a\u0000b', password: 'long enough here' },
        () => '',
      ),
      400,
      'token',
    ],
    [
      'a password-reset confirmation with {password: 12345678901}',
      send(
        'POST',
        () => '/api/auth/password-reset/confirm',
        { token: 'abc', password: 12345678901 },
        () => '',
      ),
      400,
      'password',
    ],
    [
      'naming a checker with {email: null}',
      send(
        'POST',
        () => `/api/organizations/${f().organizer.organization.id}/checkers`,
        { email: null },
        () => f().organizer.token,
      ),
      400,
      'email',
    ],
    [
      'removing a checker whose id is not a UUID',
      () =>
        f().api.request(
          'DELETE',
          `/api/organizations/${f().organizer.organization.id}/checkers/x'--`,
          undefined,
          { token: f().organizer.token },
        ),
      400,
      'userId',
    ],
    [
      'CSV sent to a JSON route',
      () =>
        api.request('POST', '/api/speakers', undefined, {
          token: f().organizer.token,
          headers: { 'content-type': 'text/csv' },
          raw: 'name\nx',
        }),
      400,
      null,
    ],
    [
      'a NUL in an imported title',
      () =>
        api.request('POST', `/api/programmes/${f().programme.id}/items/import?dryRun=true`, undefined, {
          token: f().organizer.token,
          headers: { 'content-type': 'text/csv' },
          raw: 'type,title,space,startsAt,endsAt\nconference,a\u0000b,Hall,2017-08-15T10:00,2017-08-15T11:00',
        }),
      400,
      // The body's text is checked before it is parsed: the whole file is the value.
      'value',
    ],
    [
      'invalid UTF-8 in an imported file',
      () =>
        api.request('POST', `/api/programmes/${f().programme.id}/items/import`, undefined, {
          token: f().organizer.token,
          headers: { 'content-type': 'text/csv' },
          raw: new Uint8Array([0x74, 0x79, 0x70, 0x65, 0x0a, 0xc3, 0x28]),
        }),
      400,
      'body',
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
    // the public site's own reads
    [
      "an item's live seats with an item id that is not a UUID",
      () => api.get(`/programmes/${f().programme.id}/items/1%27%20OR%201=1/seats`),
      400,
      'itemId',
    ],
    [
      "an item's live seats in a language the site does not speak",
      () => api.get(`/programmes/${f().programme.id}/items/${f().item.id}/seats?lang=%00`),
      400,
      'lang',
    ],
    ['the favourites page with a language that is SQL', () => api.get("/favourites?lang='--"), 400, 'lang'],
    ['a path parameter over 100 characters', () => api.get(`/api/items/${'a'.repeat(150)}`), 414, null],
    ['bad percent-encoding in the path', () => api.get('/api/items/%E0%A4%A'), 400, null],
  ];
}
