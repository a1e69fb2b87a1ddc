import { DataSource } from 'typeorm';
import { SeatClaimsRepository } from '../../libs/registrations/src/seat-claims.repository';
import { openDatabase, Rows } from '../support/repository-fixtures';

/** The group commit of seat claims (SeatClaimsRepository.claimBatch) and cancellation, on the database alone. */
describe('Registration claim batch (repository)', () => {
  let db: DataSource;
  let rows: Rows;
  let registrations: SeatClaimsRepository;

  beforeAll(async () => {
    db = await openDatabase();
    rows = new Rows(db);
    registrations = new SeatClaimsRepository(db);
  });
  afterAll(() => db.destroy());

  it('gives seats in the order given, then waitlist places 1, 2, …, and the counters agree', async () => {
    const { itemId } = await rows.item({ capacity: 2 });
    const people = await rows.people(5);
    const results = await registrations.claimBatch(itemId, people, new Date());
    expect(
      results.map((r) => (r.kind === 'registered' ? [r.status, r.waitlistPosition ?? null] : r.kind)),
    ).toEqual([
      ['confirmed', null],
      ['confirmed', null],
      ['waitlisted', 1],
      ['waitlisted', 2],
      ['waitlisted', 3],
    ]);
    expect(await rows.counters(itemId)).toEqual({ confirmed: 2, waitlisted: 3 });
    // One outbox row per claim, in the same transaction.
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE item_id = $1`, [itemId]);
    expect(n).toBe(5);
  });

  it('a person twice in one batch, or already registered, is a duplicate and takes nothing', async () => {
    const { itemId } = await rows.item({ capacity: 5 });
    const [a, b] = await rows.people(2);
    await registrations.claimBatch(itemId, [a], new Date());
    const results = await registrations.claimBatch(itemId, [b, a, b], new Date());
    expect(results.map((r) => r.kind)).toEqual(['registered', 'duplicate', 'duplicate']);
    expect(await rows.counters(itemId)).toEqual({ confirmed: 2, waitlisted: 0 });
  });

  it('a closed item refuses the whole batch, and an unknown one is missing', async () => {
    const { itemId } = await rows.item({ startsAt: new Date(Date.now() - 3600_000) });
    const people = await rows.people(2);
    expect((await registrations.claimBatch(itemId, people, new Date())).map((r) => r.kind)).toEqual([
      'refused',
      'refused',
    ]);
    expect(await rows.counters(itemId)).toEqual({ confirmed: 0, waitlisted: 0 });
    const unknown = await registrations.claimBatch(
      '00000000-0000-4000-8000-000000000000',
      people,
      new Date(),
    );
    expect(unknown.map((r) => r.kind)).toEqual(['missing', 'missing']);
  });

  it('a person confirmed for an item at the same time gets the overlap, not a seat', async () => {
    const startsAt = new Date(Date.now() + 3 * 24 * 3600_000);
    const first = await rows.item({ startsAt });
    const second = await rows.item({ startsAt: new Date(startsAt.getTime() + 30 * 60_000) });
    const [person] = await rows.people(1);
    await registrations.claimBatch(first.itemId, [person], new Date());
    const [result] = await registrations.claimBatch(second.itemId, [person], new Date());
    expect(result).toEqual({
      kind: 'overlap',
      overlaps: [expect.objectContaining({ itemId: first.itemId, startsAt, endsAt: expect.any(Date) })],
    });
    expect(await rows.counters(second.itemId)).toEqual({ confirmed: 0, waitlisted: 0 });
  });

  it('a cancelled seat goes to the first waitlisted (settle_waitlist), and the next batch queues after the rest', async () => {
    const { itemId } = await rows.item({ capacity: 1 });
    const [first, second, third, late] = await rows.people(4);
    await registrations.claimBatch(itemId, [first, second, third], new Date());
    expect(await registrations.cancel(itemId, first)).toMatchObject({ status: 'confirmed' });
    const statuses: { user_id: string; status: string }[] = await db.query(
      `SELECT user_id, status FROM registrations WHERE item_id = $1`,
      [itemId],
    );
    const statusOf = new Map(statuses.map((r) => [r.user_id, r.status]));
    expect([first, second, third].map((p) => statusOf.get(p))).toEqual([
      'cancelled',
      'confirmed',
      'waitlisted',
    ]);
    expect(await rows.counters(itemId)).toEqual({ confirmed: 1, waitlisted: 1 });
    const [next] = await registrations.claimBatch(itemId, [late], new Date());
    expect(next).toMatchObject({ kind: 'registered', status: 'waitlisted', waitlistPosition: 2 });
  });

  it('a seat left free beside a waitlist is settled by the next claim before a newcomer is placed', async () => {
    const { itemId } = await rows.item({ capacity: 1 });
    const [first, second, late] = await rows.people(3);
    await registrations.claimBatch(itemId, [first, second], new Date());
    // A free seat the triggers did not settle (as when a waiting person's clashing meeting is later cancelled).
    const runner = db.createQueryRunner();
    try {
      await runner.query(`SET session_replication_role = replica`);
      await runner.query(`UPDATE programme_items SET capacity = 2 WHERE id = $1`, [itemId]);
    } finally {
      await runner.query(`SET session_replication_role = DEFAULT`);
      await runner.release();
    }
    const [next] = await registrations.claimBatch(itemId, [late], new Date());
    expect(next).toMatchObject({ kind: 'registered', status: 'waitlisted', waitlistPosition: 1 });
    const [{ status }] = await db.query(
      `SELECT status FROM registrations WHERE item_id = $1 AND user_id = $2`,
      [itemId, second],
    );
    expect(status).toBe('confirmed');
    expect(await rows.counters(itemId)).toEqual({ confirmed: 2, waitlisted: 1 });
  });

  it('two batches at once never give more seats than there are', async () => {
    const { itemId } = await rows.item({ capacity: 3 });
    const people = await rows.people(8);
    const [one, two] = await Promise.all([
      registrations.claimBatch(itemId, people.slice(0, 4), new Date()),
      registrations.claimBatch(itemId, people.slice(4), new Date()),
    ]);
    const confirmed = [...one, ...two].filter((r) => r.kind === 'registered' && r.status === 'confirmed');
    expect(confirmed).toHaveLength(3);
    const positions = [...one, ...two]
      .flatMap((r) => (r.kind === 'registered' && r.waitlistPosition ? [r.waitlistPosition] : []))
      .sort((a, b) => a - b);
    expect(positions).toEqual([1, 2, 3, 4, 5]);
    expect(await rows.counters(itemId)).toEqual({ confirmed: 3, waitlisted: 5 });
  });
});
