/**
 * The generated B2B session of bench:b2b, deterministic by seed: 600 participants, 2,400 accepted requests,
 * 16 slots × 150 tables, a few popular companies with more accepted requests than slots, 15% of people with an
 * unavailable slot and 10% with an overlapping registration; 40 newcomers whose only request, made last, is to a
 * popular company. Also the large session of the B2B worker-crash test.
 */
import { SeededRandom } from '@pavilion/scheduling';

export const PEOPLE = 600;
export const REQUESTS = 2400;
export const SLOTS = 16;
export const TABLES = 150;
const MINUTES = 20;
const POPULAR = 8;
const POPULAR_REQUESTS = 30;
/** People whose one request is to a popular company, made after everyone else's. */
const NEWCOMERS = 40;

/** Runs one SQL statement and returns its rows (a TypeORM DataSource's query, or pg's rows). */
export type Query = (sql: string, params?: unknown[]) => Promise<{ id: string }[]>;

/** Writes the generated session into a migrated database; returns its item id. */
export async function seedB2bSession(q: Query, seedValue: number): Promise<string> {
  const rng = new SeededRandom(seedValue);
  const random = () => rng.next();
  const [venue] = await q(
    `INSERT INTO venues (name, city, country, timezone) VALUES ('Bench venue', 'Astana', 'Kazakhstan', 'Asia/Almaty') RETURNING id`,
  );
  const [pavilion] = await q(
    `INSERT INTO pavilions (venue_id, name) VALUES ($1, 'Bench pavilion') RETURNING id`,
    [venue.id],
  );
  // Open around the clock: the database keeps every placed item within its pavilion's opening hours.
  await q(
    `INSERT INTO opening_hours (pavilion_id, weekday, opens_minute, closes_minute)
     SELECT $1, d, 0, 1440 FROM generate_series(1, 7) d`,
    [pavilion.id],
  );
  const [zone] = await q(
    `INSERT INTO spaces (pavilion_id, name, capacity, kind, tables) VALUES ($1, 'B2B zone', 300, 'b2b_zone', $2) RETURNING id`,
    [pavilion.id, TABLES],
  );
  const [hall] = await q(
    `INSERT INTO spaces (pavilion_id, name, capacity, kind) VALUES ($1, 'Hall', 1000, 'hall') RETURNING id`,
    [pavilion.id],
  );
  const [org] = await q(`INSERT INTO organizations (name) VALUES ('Bench organization') RETURNING id`);
  const [programme] = await q(
    `INSERT INTO programmes (organization_id, pavilion_id, title, starts_on, ends_on, status, published_at)
     VALUES ($1, $2, 'Bench days', '2031-06-02', '2031-06-03', 'published', now()) RETURNING id`,
    [org.id, pavilion.id],
  );
  const start = new Date('2031-06-02T05:00:00Z');
  const slotMs = MINUTES * 60_000;
  const [session] = await q(
    `INSERT INTO programme_items (programme_id, space_id, type, title, starts_at, ends_at, capacity, meeting_minutes)
     VALUES ($1, $2, 'b2b_meetings', 'Meetings with business', $3, $4, 300, $5) RETURNING id`,
    [programme.id, zone.id, start, new Date(start.getTime() + SLOTS * slotMs), MINUTES],
  );
  // Four one-hour round tables during the session, for the 10% with an overlapping registration.
  const talks: { id: string }[] = [];
  for (let k = 0; k < 4; k++) {
    const from = new Date(start.getTime() + (1 + 4 * k) * slotMs);
    const [talk] = await q(
      `INSERT INTO programme_items (programme_id, space_id, type, title, starts_at, ends_at, capacity)
       VALUES ($1, $2, 'round_table', $3, $4, $5, 1000) RETURNING id`,
      [programme.id, hall.id, `Round table ${k + 1}`, from, new Date(from.getTime() + 3 * slotMs)],
    );
    talks.push(talk);
  }
  const users: { id: string }[] = await q(
    `INSERT INTO users (email, password_hash, display_name, calendar_feed_token)
     SELECT 'b2b-' || g || '@bench.local', 'not-a-password-hash', 'Participant ' || g,
            replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
       FROM generate_series(1, $1::int) g ORDER BY g RETURNING id`,
    [PEOPLE],
  );
  const languages = users.map(() => {
    const x = random();
    return x < 0.03 ? ['en'] : x < 0.1 ? ['en', 'ru'] : ['ru', 'kk'];
  });
  const unavailable = users.map(() => {
    if (random() >= 0.15) return '{}';
    const s = Math.floor(random() * SLOTS);
    return `{[${new Date(start.getTime() + s * slotMs).toISOString()},${new Date(start.getTime() + (s + 1) * slotMs).toISOString()})}`;
  });
  const participants: { id: string }[] = await q(
    `INSERT INTO b2b_participants (item_id, user_id, company, sector, offers, seeks, languages, unavailable)
     SELECT $1, u, 'Company ' || o, 'trade', '{}', '{}', string_to_array(l, ','), m::tstzmultirange
       FROM unnest($2::uuid[], $3::text[], $4::text[]) WITH ORDINALITY AS t(u, l, m, o) ORDER BY o RETURNING id`,
    [session.id, users.map((u) => u.id), languages.map((l) => l.join(',')), unavailable],
  );
  const registered = users.filter(() => random() < 0.1);
  for (const [k, u] of registered.entries())
    await q(
      `INSERT INTO registrations (item_id, user_id, status, check_in_code) VALUES ($1, $2, 'confirmed', $3)`,
      [talks[k % talks.length].id, u.id, `B${String(k).padStart(7, '0')}`],
    );

  // Requests: the popular companies first get more than they have slots, then random distinct pairs.
  const pairs = new Set<string>();
  const requests: [number, number][] = [];
  const add = (a: number, b: number) => {
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (a === b || pairs.has(key)) return;
    pairs.add(key);
    requests.push([a, b]);
  };
  // Newcomers (the last NEWCOMERS people) ask only for a popular company, and late: taking requests in order
  // leaves them with none, while a schedule that minds who has none gives them a place another could spare.
  const regular = PEOPLE - NEWCOMERS;
  const perPopular = NEWCOMERS / POPULAR;
  for (let p = 0; p < POPULAR; p++)
    while (requests.length < (p + 1) * (POPULAR_REQUESTS - perPopular))
      add(POPULAR + Math.floor(random() * (regular - POPULAR)), p);
  while (requests.length < REQUESTS - NEWCOMERS)
    add(Math.floor(random() * regular), Math.floor(random() * regular));
  for (let k = 0; k < NEWCOMERS; k++) add(regular + k, k % POPULAR);
  await q(
    `INSERT INTO b2b_requests (item_id, from_participant_id, to_participant_id, status, created_at, answered_at)
     SELECT $1, f, t, 'accepted', '2031-01-01'::timestamptz + o * interval '1 millisecond', now()
       FROM unnest($2::uuid[], $3::uuid[]) WITH ORDINALITY AS x(f, t, o)`,
    [session.id, requests.map(([a]) => participants[a].id), requests.map(([, b]) => participants[b].id)],
  );
  return session.id;
}
