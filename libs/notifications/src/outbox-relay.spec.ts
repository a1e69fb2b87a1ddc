import { AppConfig } from '@pavilion/config';
import { OutboxRelayRepository, OutboxRow } from '@pavilion/database';
import { JobQueues } from './job-contracts';
import { PavilionMetrics } from './metrics';
import { LULL_MS, OutboxRelay, RUSH_ROWS } from './outbox-relay.service';

/** An outbox in memory: rows written by the test, each pass takes what is there. */
class Outbox {
  rows: OutboxRow[] = [];
  passes: number[] = [];

  write(n: number): void {
    for (let i = 0; i < n; i++)
      this.rows.push({
        id: String(this.rows.length + 1),
        kind: 'registration_confirmed',
        itemId: 'item',
        registrationId: `registration-${i}`,
        userId: `user-${i}`,
        itemVersion: null,
        payload: {},
        createdAt: new Date(),
      } as OutboxRow);
  }

  async relayOutbox(limit: number, enqueue: (rows: OutboxRow[]) => Promise<void>): Promise<OutboxRow[]> {
    const taken = this.rows.splice(0, limit);
    if (taken.length) await enqueue(taken);
    this.passes.push(taken.length);
    return taken;
  }

  async outboxLagSeconds(): Promise<number> {
    return 0;
  }
}

function relayWith(outboxRushHoldMs: number) {
  const outbox = new Outbox();
  const relay = new OutboxRelay(
    outbox as unknown as OutboxRelayRepository,
    { addBulk: async () => undefined } as unknown as JobQueues,
    { relayLag: { set: () => undefined } } as unknown as PavilionMetrics,
    { outboxRushHoldMs } as AppConfig,
  );
  return { outbox, relay };
}

describe('OutboxRelay in a rush', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('passes at every nudge outside a rush', async () => {
    const { outbox, relay } = relayWith(3000);
    for (let i = 0; i < 3; i++) {
      outbox.write(RUSH_ROWS - 1);
      await relay.relay();
    }
    expect(outbox.passes).toEqual([RUSH_ROWS - 1, RUSH_ROWS - 1, RUSH_ROWS - 1]);
  });

  it('after a busy pass, holds the nudges until they pause for LULL_MS, then moves all in one pass', async () => {
    const { outbox, relay } = relayWith(3000);
    outbox.write(RUSH_ROWS);
    await relay.relay();
    for (let i = 0; i < 10; i++) {
      outbox.write(40);
      await relay.relay();
      await jest.advanceTimersByTimeAsync(LULL_MS - 50);
    }
    expect(outbox.passes).toEqual([RUSH_ROWS]);
    await jest.advanceTimersByTimeAsync(50);
    expect(outbox.passes).toEqual([RUSH_ROWS, 400]);
  });

  it('never holds longer than OUTBOX_RUSH_HOLD_MS from the first nudge it held', async () => {
    const { outbox, relay } = relayWith(1000);
    outbox.write(RUSH_ROWS);
    await relay.relay();
    for (let t = 0; t < 1000; t += 100) {
      outbox.write(1);
      await relay.relay();
      await jest.advanceTimersByTimeAsync(100);
    }
    expect(outbox.passes).toEqual([RUSH_ROWS, 10]);
  });

  it('passes at once again once a rush is OUTBOX_RUSH_HOLD_MS behind, and always with 0', async () => {
    const { outbox, relay } = relayWith(1000);
    outbox.write(RUSH_ROWS);
    await relay.relay();
    await jest.advanceTimersByTimeAsync(1000);
    outbox.write(1);
    await relay.relay();
    expect(outbox.passes).toEqual([RUSH_ROWS, 1]);

    const never = relayWith(0);
    never.outbox.write(RUSH_ROWS);
    await never.relay.relay();
    never.outbox.write(1);
    await never.relay.relay();
    expect(never.outbox.passes).toEqual([RUSH_ROWS, 1]);
  });
});
