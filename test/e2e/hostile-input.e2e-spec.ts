import { MAX_JSON_DEPTH } from '../../apps/api/src/http/json-body';
import { expectProblem, TestApi } from '../support/api';
import { hostileCases } from '../support/hostile-cases';
import { collectionIds, fillPath } from '../support/openapi-paths';
import { startWorld, VenueTree, World } from '../support/world';

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
    ({ api, world } = await startWorld());
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
    item = await world.item(organizer.token, programme, {
      type: 'conference',
      title: 'Future of alternative energy',
      spaceId: tree.hall.id,
      startsAt: '2017-08-15T10:00',
      endsAt: '2017-08-15T11:00',
    });
    session = await world.item(organizer.token, programme, {
      type: 'b2b_meetings',
      title: 'Meetings with business',
      spaceId: zone.id,
      startsAt: '2017-08-15T12:00',
      endsAt: '2017-08-15T13:00',
    });
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
    ['/api/users', () => admin, 'text'],
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

  const cases = hostileCases(() => ({ api, admin, tree, organizer, programme, item, speaker }));

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

  /**
   * Every operation in the OpenAPI document, so a route added later is covered without a new row: hostile path
   * parameters, and for a JSON body a NUL in every text field, null in every field, and bytes that are not UTF-8.
   * Run last: as an admin with real ids, a body that is accepted may change the fixture.
   */
  describe('every operation in /docs-json', () => {
    const operations = () =>
      Object.entries(openapi.paths as Record<string, any>).flatMap(([path, ops]) =>
        Object.entries(ops as Record<string, any>).map(([method, op]) => ({
          method: method.toUpperCase(),
          path,
          json: op.requestBody?.content?.['application/json']?.schema,
          name: `${method.toUpperCase()} ${path}`,
        })),
      );
    const fill = (path: string, value?: string) =>
      fillPath(path, collectionIds({ tree, programme, item, organizer, speaker }), value);
    const fields = (schema: any): [string, any][] => {
      const s = schema?.$ref ? openapi.components.schemas[schema.$ref.split('/').pop()] : schema;
      return Object.entries(s?.properties ?? {});
    };
    /** Below 500, and a refusal is problem+json. */
    const expectHandled = (name: string, res: { status: number; headers: Headers; text: string }) => {
      const type = res.headers.get('content-type') ?? '';
      const fine = res.status < 500 && (res.status < 400 || type.includes('application/problem+json'));
      if (!fine) throw new Error(`${name} → ${res.status} ${type} ${res.text.slice(0, 200)}`);
    };

    it.each([
      ['text that is not an id', 'not-an-id'],
      ['a NUL', '%00'],
      ['a lone surrogate, percent-encoded', '%ED%A0%80'],
      ['SQL', encodeURIComponent("1' OR '1'='1")],
    ])('refuses %s in every path parameter', async (_name, value) => {
      const withParams = operations().filter((o) => o.path.includes('{'));
      expect(withParams.length).toBeGreaterThan(30);
      for (const o of withParams) {
        const res = await api.request(o.method, fill(o.path, value), o.json ? {} : undefined, {
          token: admin,
        });
        expectHandled(o.name, res);
        if (res.status < 400) throw new Error(`${o.name} with ${value} → ${res.status}`);
      }
    });

    it('refuses a NUL in every text field, and bytes that are not UTF-8, on every JSON body', async () => {
      const withBody = operations().filter((o) => o.json);
      expect(withBody.length).toBeGreaterThan(20);
      let withText = 0;
      for (const o of withBody) {
        const text = fields(o.json).filter(([, f]) => f.type === 'string' && !f.format && !f.enum);
        if (text.length > 0) {
          withText++;
          const body = Object.fromEntries(text.map(([k]) => [k, 'a\u0000b']));
          const res = await api.request(o.method, fill(o.path), body, { token: admin });
          expectHandled(`${o.name} with NULs`, res);
          if (res.status < 400) throw new Error(`${o.name} took NULs: ${res.status}`);
        }
        const raw = Buffer.concat([Buffer.from('{"x":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
        const res = await api.request(o.method, fill(o.path), undefined, { token: admin, raw });
        expectHandled(`${o.name} with invalid UTF-8`, res);
        if (res.status < 400) throw new Error(`${o.name} took invalid UTF-8: ${res.status}`);
      }
      expect(withText).toBeGreaterThan(10);
    });

    it('answers null in every field of every JSON body below 500', async () => {
      for (const o of operations().filter((op) => op.json)) {
        const body = Object.fromEntries(fields(o.json).map(([k]) => [k, null]));
        expectHandled(
          `${o.name} with nulls`,
          await api.request(o.method, fill(o.path), body, { token: admin }),
        );
      }
    });
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
