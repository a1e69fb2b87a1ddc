import path from 'node:path';
import { SolveError, solveInThread } from './solve-runner';

const fixture = path.join(__dirname, 'solve-runner.fixture');
const entry = (exportName: string) => ({ modulePath: fixture, exportName });

describe('solveInThread', () => {
  it('returns the solver result and relays progress', async () => {
    const progress: number[] = [];
    const outcome = await solveInThread(
      entry('countUntilStopped'),
      { steps: 50 },
      {
        timeLimitMs: 30_000,
        onProgress: (value) => progress.push(value),
      },
    );
    expect(outcome).toEqual({ status: 'done', result: { done: 50 }, stopReason: null });
    expect(progress[progress.length - 1]).toBe(1);
  });

  it('stops the solver at its time limit with the best so far', async () => {
    const started = Date.now();
    const outcome = await solveInThread<{ steps: number }, { done: number }>(
      entry('countUntilStopped'),
      { steps: 1_000_000 },
      { timeLimitMs: 300 },
    );
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    expect(outcome.stopReason).toBe('time_limit');
    expect(outcome.result.done).toBeGreaterThan(0);
    expect(outcome.result.done).toBeLessThan(1_000_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('cancels within the grace period', async () => {
    const controller = new AbortController();
    const run = solveInThread(
      entry('countUntilStopped'),
      { steps: 1_000_000 },
      {
        timeLimitMs: 60_000,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      },
    );
    const aborted = new Promise<number>((resolve) =>
      controller.signal.addEventListener('abort', () => resolve(Date.now())),
    );
    const outcome = await run;
    expect(outcome).toEqual({ status: 'cancelled' });
    expect(Date.now() - (await aborted)).toBeLessThan(1000);
  });

  it('terminates a solver that ignores cancellation', async () => {
    const controller = new AbortController();
    const run = solveInThread(
      entry('neverStops'),
      {},
      { timeLimitMs: 60_000, signal: controller.signal, graceMs: 200 },
    );
    setTimeout(() => controller.abort(), 100);
    await expect(run).resolves.toEqual({ status: 'cancelled' });
  });

  it('reports a solver error as a SolveError', async () => {
    await expect(solveInThread(entry('fails'), {}, { timeLimitMs: 5000 })).rejects.toThrow(SolveError);
    await expect(solveInThread(entry('fails'), {}, { timeLimitMs: 5000 })).rejects.toThrow('contradiction');
  });
});
