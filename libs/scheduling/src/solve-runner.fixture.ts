import type { SolveControl } from './solve-control';

/** Solvers for the runner's tests. */

/** Works in small steps until told to stop, reporting progress against `input.steps`; returns the steps done. */
export function countUntilStopped(input: { steps: number }, control: SolveControl): { done: number } {
  let done = 0;
  while (done < input.steps && !control.shouldStop()) {
    const until = Date.now() + 1;
    while (Date.now() < until) {
      // a millisecond of work
    }
    done++;
    control.progress(done / input.steps);
  }
  return { done };
}

/** Never checks the control: only termination ends it. */
export function neverStops(): never {
  for (;;) {
    // spins
  }
}

export function fails(): never {
  throw new Error('the model found a contradiction');
}
