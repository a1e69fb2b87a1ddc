import fc from 'fast-check';
import { TestApi } from '../support/api';
import { collectionIds, fillPath } from '../support/openapi-paths';
import { World } from '../support/world';

/**
 * Generated JSON (deep, wide, nulls, NULs, lone surrogates, huge numbers, unknown fields, the operation's own
 * field names with hostile values) at every write operation in the OpenAPI document: the answer is below 500,
 * and every refusal is problem+json.
 */
describe('property: no generated body makes a write route answer 500', () => {
  let api: TestApi;
  let admin: string;
  /** The other kinds of caller: anonymous, an attendee, the owning organizer, an organizer of another organization. */
  let others: (string | undefined)[];
  let ids: Record<string, string>;
  let openapi: any;

  beforeAll(async () => {
    api = await TestApi.start();
    const world = new World(api);
    admin = await world.adminToken();
    const tree = await world.venueTree();
    const organizer = await world.organizer();
    others = [undefined, (await world.signup()).token, organizer.token, (await world.organizer()).token];
    const programme = await world.programme(organizer, tree.pavilion, { publish: true });
    const item = await world.item(organizer.token, programme, {
      type: 'conference',
      title: 'Round table',
      spaceId: tree.room.id,
      startsAt: '2017-08-15T10:00',
      endsAt: '2017-08-15T11:00',
    });
    const speaker = await world.speaker(organizer.token);
    // A real id for each collection, so the request passes the access checks and reaches the validators.
    ids = collectionIds({ tree, programme, item, organizer, speaker });
    openapi = (await api.get('/docs-json')).body;
  });
  afterAll(() => api.close());

  const fill = (path: string) => fillPath(path, ids);

  const resolve = (schema: any): any =>
    schema?.$ref ? openapi.components.schemas[schema.$ref.split('/').pop()] : (schema ?? {});
  const schemaOf = (operation: any): any =>
    resolve(operation.requestBody?.content?.['application/json']?.schema);

  /** A plausible body from the schema (examples, enums, minimums), so that one hostile field reaches storage. */
  const plausible = (schema: any, depth = 0): unknown => {
    const s = resolve(schema.allOf?.[0] ?? schema);
    if (s.example !== undefined) return s.example;
    if (s.enum) return s.enum[0];
    if (s.type === 'object' || s.properties) {
      if (depth > 4) return {};
      return Object.fromEntries(
        Object.entries(s.properties ?? {}).map(([k, v]) => [k, plausible(v, depth + 1)]),
      );
    }
    if (s.type === 'array') return depth > 4 ? [] : [plausible(s.items ?? {}, depth + 1)];
    if (s.type === 'integer' || s.type === 'number') return s.minimum ?? 1;
    if (s.type === 'boolean') return true;
    return 'Business energy';
  };

  const hostileString = fc.oneof(
    fc.string(),
    fc.constantFrom('a\u0000b', '\ud800', 'Boris \udc00'),
    fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\ud83c', '🎪', '', ' ', '\u202e', '%00'),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.constant('x'.repeat(20_000)),
  );
  const hostileNumber = fc.oneof(
    fc.double(),
    fc.constantFrom(1e308, -1e308, 2 ** 63, -(2 ** 63), Number.MAX_SAFE_INTEGER + 2, 5e-324, -0, 0.5),
    fc.integer(),
  );
  const leaf = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(hostileString, tie('value'), { maxKeys: 5 }),
    ),
  }));
  // Deep nesting is written as text: a 5,000-level value would overflow the stack of whoever walks it.
  const deep = fc
    .tuple(fc.integer({ min: 1, max: 5000 }), fc.boolean())
    .map(([levels, arrays]) =>
      arrays ? '['.repeat(levels) + ']'.repeat(levels) : '{"a":'.repeat(levels) + 'null' + '}'.repeat(levels),
    );
  const wide = fc
    .integer({ min: 100, max: 5000 })
    .map((n) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i]))));
  const json = (arbitrary: fc.Arbitrary<unknown>) => arbitrary.map((v) => JSON.stringify(v) ?? 'null');
  /** Bodies as JSON text: generated values, deep and wide ones, and the operation's own fields gone wrong. */
  const body = (fields: string[], base: Record<string, unknown>): fc.Arbitrary<string> =>
    fc.oneof(
      // Most often: one field of a plausible body gone wrong (or one unknown field added).
      {
        weight: 6,
        arbitrary: fc
          .tuple(fc.constantFrom(...fields, 'unknownField'), fc.oneof(leaf, leaf, value))
          .map(([field, v]) => JSON.stringify({ ...base, [field]: v })),
      },
      json(value),
      deep,
      wide,
      json(fc.record(Object.fromEntries(fields.map((f) => [f, value])), { requiredKeys: [] })),
      fc
        .tuple(
          fc.record(Object.fromEntries(fields.map((f) => [f, leaf])), { requiredKeys: [] }),
          fc.dictionary(hostileString, leaf, { maxKeys: 3 }),
        )
        .map(([known, unknown]) => JSON.stringify({ ...unknown, ...known })),
    );

  it('answers every generated body on every write operation below 500, refusals as problem+json', async () => {
    const operations = Object.entries(openapi.paths as Record<string, any>).flatMap(([path, ops]) =>
      Object.entries(ops as Record<string, any>)
        .filter(([method, op]) => method !== 'get' && op.requestBody?.content?.['application/json'])
        .map(([method, op]) => ({
          method: method.toUpperCase(),
          path: fill(path),
          fields: Object.keys(schemaOf(op).properties ?? {}),
          base: plausible(schemaOf(op)) as Record<string, unknown>,
        })),
    );
    expect(operations.length).toBeGreaterThan(20);
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    for (const operation of operations) {
      // Mostly as admin (past every access check, into the validators), and a few runs as each other caller.
      for (const [token, numRuns] of [[admin, 30], ...others.map((t) => [t, 5] as const)] as const) {
        await fc.assert(
          fc.asyncProperty(body(operation.fields, operation.base), async (generated) => {
            const res = await api.request(operation.method, operation.path, undefined, {
              token,
              raw: generated,
            });
            const type = res.headers.get('content-type') ?? '';
            const fine = res.status < 500 && (res.status < 400 || type.includes('application/problem+json'));
            if (!fine) {
              throw new Error(
                `${operation.method} ${operation.path} → ${res.status} ${res.text.slice(0, 300)}`,
              );
            }
          }),
          { numRuns, seed },
        );
      }
    }
  }, 300_000);
});
