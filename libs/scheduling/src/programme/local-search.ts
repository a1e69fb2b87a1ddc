import { gridStarts, type Interval } from '../intervals';
import type { Placement } from './problem';
import { dayIndex, samePlacement } from './rules';
import { eject } from './construct';
import type { SolverState, Var } from './state';

/**
 * Seeded local search on the objective: relocations of movable items (and insertions of those still without a
 * place) until the control says stop, the iteration budget is spent or nothing improved for a while.
 */
export function localSearch(state: SolverState): void {
  const movable = [...state.vars.values()].filter((v) => v.movable && v.free.size > 0);
  if (movable.length === 0) return;
  const budget = state.problem.maxIterations ?? 200_000;
  const patience = Math.max(5_000, 40 * movable.length);
  let sinceBetter = 0;
  let objective = state.objective();
  for (let i = 0; i < budget && sinceBetter < patience; i++) {
    if ((i & 63) === 0) {
      if (state.checkStop()) return;
      state.control.progress(0.5 + (0.5 * i) / budget);
    }
    if (objective === 0) return;
    state.iterations++;
    const v = state.random.pick(movable);
    const improved = v.place ? tryRelocate(state, v) : v.toPlace && tryInsert(state, v);
    const next = improved ? state.objective() : objective;
    if (next < objective) {
      objective = next;
      sinceBetter = 0;
    } else sinceBetter++;
  }
}

/** Moves `v` to a random other feasible place when that costs no more (for a to-place item) or less. */
function tryRelocate(state: SolverState, v: Var): boolean {
  const spaces = [...v.free.keys()];
  const spaceId = state.random.pick(spaces);
  const time = v.free.get(spaceId) as Interval[];
  const d = v.item.durationMinutes;
  const starts = gridStarts(time, d, state.problem.stepMinutes, 2000);
  if (starts.length === 0) return false;
  const from = state.unbook(v) as Placement;
  const before = state.cost(v, from);
  const start = state.random.pick(starts);
  const at = { spaceId, start, end: start + d };
  if (state.fits(v, at) && !samePlacement(at, from)) {
    const after = state.cost(v, at);
    const delta = after - before + partnerDelta(state, v, from, at);
    if (delta < 0 || (delta === 0 && v.toPlace)) {
      state.book(v, at);
      return delta < 0;
    }
  }
  state.book(v, from);
  return false;
}

/** Change in the sameDayAs cost that `v`'s partners carry (the pair is counted from both sides). */
function partnerDelta(state: SolverState, v: Var, from: Placement, to: Placement): number {
  let delta = 0;
  const fromDay = dayIndex(state.days, from.start);
  const toDay = dayIndex(state.days, to.start);
  for (const o of v.sameDay) {
    if (!o.place) continue;
    const day = dayIndex(state.days, o.place.start);
    delta += ((day !== toDay ? 1 : 0) - (day !== fromDay ? 1 : 0)) * state.weights.sameDayMissed;
  }
  return delta;
}

function tryInsert(state: SolverState, v: Var): boolean {
  const best = state.bestPlace(v);
  if (best) {
    state.book(v, best.at);
    return true;
  }
  return eject(state, v, 10);
}
