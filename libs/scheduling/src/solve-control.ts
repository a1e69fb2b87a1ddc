/**
 * What a solver sees of the world while it runs: whether to stop (time limit or cancellation, decided outside
 * the model, which has no clock) and a way to report progress. A solver checks `shouldStop()` often (at
 * least every few milliseconds of work) and then returns the best it has.
 */
export interface SolveControl {
  shouldStop(): boolean;
  /** Why `shouldStop()` became true, or null while it has not. */
  stopReason(): StopReason | null;
  /** Fraction of the work done, 0..1; reports may be dropped, so send them freely. */
  progress(fraction: number): void;
}

export type StopReason = 'time_limit' | 'cancelled';

/** A solver as a module exports it: a pure function from an input to a result, steered by a control. */
export type Solver<I, O> = (input: I, control: SolveControl) => O | Promise<O>;

/** A control that never stops and ignores progress: for tests and in-process calls with their own bounds. */
export function unlimitedControl(onProgress?: (fraction: number) => void): SolveControl {
  return { shouldStop: () => false, stopReason: () => null, progress: onProgress ?? (() => undefined) };
}

/**
 * A control that stops after `maxChecks` calls of `shouldStop()` and reports `time_limit` then: a clock-free
 * stand-in for a time limit, so a test of the limit is deterministic.
 */
export function countingControl(maxChecks: number): SolveControl {
  let checks = 0;
  return {
    shouldStop: () => ++checks > maxChecks,
    stopReason: () => (checks > maxChecks ? 'time_limit' : null),
    progress: () => undefined,
  };
}
