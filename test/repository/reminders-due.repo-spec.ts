import { DataSource } from 'typeorm';
import { AudienceRepository } from '../../libs/notifications/src/audience.repository';
import { SeatClaimsRepository } from '../../libs/registrations/src/seat-claims.repository';
import { openDatabase, Rows } from '../support/repository-fixtures';

const MINUTE = 60_000;

/** Which reminder fan-outs are due (the worker's backstop sweep), on the database alone. */
describe('Due reminder fan-outs (repository)', () => {
  let db: DataSource;
  let rows: Rows;
  let audience: AudienceRepository;
  let registrations: SeatClaimsRepository;

  beforeAll(async () => {
    db = await openDatabase();
    rows = new Rows(db);
    audience = new AudienceRepository(db);
    registrations = new SeatClaimsRepository(db);
  });
  afterAll(() => db.destroy());

  /** The offsets of `itemId` that the sweep finds due, whatever the row's field names. */
  async function dueOffsets(itemId: string, lookbackMs: number, aheadMs = 0): Promise<number[]> {
    const due = (await audience.dueFanouts(lookbackMs, aheadMs)) as object[];
    return due
      .filter((row) => Object.values(row).includes(itemId))
      .flatMap((row) => Object.values(row).filter((v) => v === 60 || v === 1440 || v === 15))
      .sort((a, b) => a - b);
  }

  async function itemWithRegistrant(startsInMinutes: number, preferences: Record<string, unknown> = {}) {
    const { itemId } = await rows.item({
      startsAt: new Date(Date.now() + startsInMinutes * MINUTE),
      reminderOffsets: [1440, 60],
    });
    const person = await rows.person(preferences);
    const [claim] = await registrations.claimBatch(itemId, [person], new Date());
    expect(claim).toMatchObject({ kind: 'registered', status: 'confirmed' });
    return { itemId, person };
  }

  it('finds the offset whose time has come within the look-back, and not the one long past', async () => {
    const { itemId } = await itemWithRegistrant(30);
    // Due 30 minutes ago (60 before the start); the day-before reminder was due 23.5 hours ago.
    expect(await dueOffsets(itemId, 2 * 60 * MINUTE)).toEqual([60]);
    expect(await dueOffsets(itemId, 10 * MINUTE)).toEqual([]);
  });

  it('a fan-out marked done is no longer due; a new item version makes it due again', async () => {
    const { itemId } = await itemWithRegistrant(30);
    await audience.markFanoutDone(itemId, 60, 1);
    expect(await dueOffsets(itemId, 2 * 60 * MINUTE)).toEqual([]);
    await db.query('UPDATE programme_items SET version = 2 WHERE id = $1', [itemId]);
    expect(await dueOffsets(itemId, 2 * 60 * MINUTE)).toEqual([60]);
  });

  it('looks ahead when asked (a capped fan-out fires before its due time), with the item seats', async () => {
    // The 60-minute reminder is due in 10 minutes.
    const { itemId } = await itemWithRegistrant(70);
    expect(await dueOffsets(itemId, 2 * 60 * MINUTE)).toEqual([]);
    expect(await dueOffsets(itemId, 2 * 60 * MINUTE, 15 * MINUTE)).toEqual([60]);
    const [due] = (await audience.dueFanouts(2 * 60 * MINUTE, 15 * MINUTE)).filter(
      (f) => f.itemId === itemId,
    );
    expect(due.seats).toBe(10);
  });

  it('an item of a programme taken back to draft has no fan-out due, until it is published again', async () => {
    const { itemId } = await itemWithRegistrant(30);
    const status = (to: string) =>
      db.query(
        'UPDATE programmes SET status = $2 WHERE id = (SELECT programme_id FROM programme_items WHERE id = $1)',
        [itemId, to],
      );
    await status('draft');
    expect(await dueOffsets(itemId, 2 * 60 * MINUTE)).toEqual([]);
    await status('published');
    expect(await dueOffsets(itemId, 2 * 60 * MINUTE)).toEqual([60]);
  });

  it("a person's own offsets replace the programme's", async () => {
    const { itemId } = await itemWithRegistrant(10, { reminderOffsetsMinutes: [15] });
    expect(await dueOffsets(itemId, 2 * 60 * MINUTE)).toEqual([15]);
  });

  it('nothing is due for an item with only waitlisted people, or a cancelled item', async () => {
    const { itemId: waitlistedOnly } = await rows.item({ startsAt: new Date(Date.now() + 30 * MINUTE) });
    await db.query(
      `INSERT INTO registrations (item_id, user_id, status, waitlist_seq, check_in_code)
       VALUES ($1, $2, 'waitlisted', 1, 'WAIT0001')`,
      [waitlistedOnly, await rows.person()],
    );
    expect(await dueOffsets(waitlistedOnly, 2 * 60 * MINUTE)).toEqual([]);

    const { itemId: cancelled } = await itemWithRegistrant(30);
    await db.query(
      `UPDATE programme_items SET status = 'cancelled', cancel_reason = 'gone', cancelled_at = now() WHERE id = $1`,
      [cancelled],
    );
    expect(await dueOffsets(cancelled, 2 * 60 * MINUTE)).toEqual([]);
  });
});
