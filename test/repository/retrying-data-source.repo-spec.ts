import { DataSource, EntityManager } from 'typeorm';
import { dataSourceOptions, isTransientConflict, RetryingDataSource } from '@pavilion/database';
import { openDatabase, Rows } from '../support/repository-fixtures';

/** A promise and the function that settles it, for ordering two transactions step by step. */
interface Signal {
  fired: Promise<void>;
  fire: () => void;
}

function signal(): Signal {
  let fire = () => {};
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return { fired, fire };
}

/**
 * Two transactions that lock two people's rows in opposite orders, each waiting until the other holds its first
 * lock: PostgreSQL must abort one of them with 40P01 (deadlock_detected) on its first attempt. Later attempts run
 * without waiting, so a retried loser simply queues behind the winner.
 */
async function deadlockingPair(db: DataSource, a: string, b: string) {
  const attempts = { first: 0, second: 0 };
  const firstHolds = signal();
  const secondHolds = signal();
  const lock = (tx: EntityManager, id: string) =>
    tx.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [id]);
  const rename = (tx: EntityManager, id: string, name: string) =>
    tx.query('UPDATE users SET display_name = $2 WHERE id = $1', [id, name]);
  // Each side locks its own row, waits until the other holds its own, then reaches for the other's.
  const side = (name: 'first' | 'second', mine: string, theirs: string, holds: Signal, other: Signal) =>
    db.transaction(async (tx) => {
      attempts[name]++;
      await lock(tx, mine);
      holds.fire();
      await other.fired;
      await lock(tx, theirs);
      await rename(tx, mine, name);
    });
  const first = side('first', a, b, firstHolds, secondHolds);
  const second = side('second', b, a, secondHolds, firstHolds);
  return { attempts, outcomes: await Promise.allSettled([first, second]) };
}

describe('RetryingDataSource: transactions aborted by a deadlock run again', () => {
  let plain: DataSource;
  let retrying: RetryingDataSource;
  let rows: Rows;

  beforeAll(async () => {
    plain = await openDatabase();
    retrying = await new RetryingDataSource(
      dataSourceOptions(process.env.DATABASE_URL as string),
    ).initialize();
    rows = new Rows(plain);
  });

  afterAll(async () => {
    await retrying.destroy();
    await plain.destroy();
  });

  it('without retries, PostgreSQL aborts one of the pair with 40P01', async () => {
    const [a, b] = await rows.people(2);
    const { attempts, outcomes } = await deadlockingPair(plain, a, b);
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(isTransientConflict(failed[0].reason)).toBe(true);
    expect(attempts).toEqual({ first: 1, second: 1 });
  });

  it('with retries, both commit: the loser runs once more, after the winner', async () => {
    const [a, b] = await rows.people(2);
    const { attempts, outcomes } = await deadlockingPair(retrying, a, b);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(attempts.first + attempts.second).toBe(3);
    const names: { id: string; display_name: string }[] = await plain.query(
      'SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])',
      [[a, b]],
    );
    expect(Object.fromEntries(names.map((n) => [n.id, n.display_name]))).toEqual({
      [a]: 'first',
      [b]: 'second',
    });
  });

  it('does not run again a transaction refused for what it asked', async () => {
    let attempts = 0;
    const refused = retrying.transaction(async (tx) => {
      attempts++;
      await tx.query('SELECT 1 / 0');
    });
    await expect(refused).rejects.toThrow(/division by zero/);
    expect(attempts).toBe(1);
  });
});
