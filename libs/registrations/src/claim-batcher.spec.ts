import { AppConfig } from '@pavilion/config';
import { ClaimBatcher, RUSH_BATCH } from './claim-batcher';
import { ClaimResult, SeatClaimsRepository } from './seat-claims.repository';

/** A repository whose claim transactions end when the test says, and that tells when one begins. */
class HeldTransactions {
  readonly batches: string[][] = [];
  private readonly ends: (() => void)[] = [];
  private began?: () => void;

  claimBatch(_itemId: string, userIds: string[]): Promise<ClaimResult[]> {
    this.batches.push(userIds);
    this.began?.();
    return new Promise((resolve) => this.ends.push(() => resolve(userIds.map(() => ({ kind: 'missing' })))));
  }

  /** Resolves when the next transaction begins. */
  nextBegins(): Promise<void> {
    return new Promise((resolve) => (this.began = resolve));
  }

  /** Ends the oldest running transaction and lets its claims' promises settle. */
  async endOne(): Promise<void> {
    this.ends.shift()?.();
    await new Promise(setImmediate);
  }
}

function batcher(claimGatherMs: number) {
  const repository = new HeldTransactions();
  const claims = new ClaimBatcher(
    repository as unknown as SeatClaimsRepository,
    {
      claimGatherMs,
    } as AppConfig,
  );
  const claim = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => claims.claim('item', `user-${from + i}`));
  return { repository, claim };
}

describe('ClaimBatcher', () => {
  it('sends the claims that arrive during a transaction together in the next one, in arrival order', async () => {
    const { repository, claim } = batcher(5);
    const settled = claim(4);
    expect(repository.batches).toEqual([['user-0']]);
    await repository.endOne();
    expect(repository.batches[1]).toEqual(['user-1', 'user-2', 'user-3']);
    await repository.endOne();
    await expect(Promise.all(settled)).resolves.toHaveLength(4);
  });

  it('after a big batch, waits until as many claims wait as it had, then sends them in one transaction', async () => {
    const { repository, claim } = batcher(60_000);
    claim(1 + RUSH_BATCH);
    await repository.endOne(); // the lone first claim
    await repository.endOne(); // RUSH_BATCH claims: a rush is on
    claim(RUSH_BATCH - 1, 100);
    await new Promise(setImmediate);
    expect(repository.batches).toHaveLength(2);
    const begins = repository.nextBegins();
    claim(1, 200);
    await begins;
    expect(repository.batches.map((b) => b.length)).toEqual([1, RUSH_BATCH, RUSH_BATCH]);
  });

  it('starts a gathering batch after CLAIM_GATHER_MS even if the rush does not come back', async () => {
    const { repository, claim } = batcher(30);
    claim(1 + RUSH_BATCH);
    await repository.endOne();
    await repository.endOne();
    const begins = repository.nextBegins();
    const asked = performance.now();
    claim(1, 100);
    await begins;
    expect(performance.now() - asked).toBeGreaterThanOrEqual(25);
    expect(repository.batches.at(-1)).toEqual(['user-100']);
  });

  it('never waits with CLAIM_GATHER_MS=0, nor after small batches', async () => {
    for (const [gatherMs, first] of [
      [0, 1 + RUSH_BATCH],
      [60_000, RUSH_BATCH],
    ]) {
      const { repository, claim } = batcher(gatherMs);
      claim(first);
      await repository.endOne();
      await repository.endOne();
      claim(1, 100);
      expect(repository.batches.at(-1)).toEqual(['user-100']);
    }
  });
});
