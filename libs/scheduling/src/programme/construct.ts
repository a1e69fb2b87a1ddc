import { gridStarts, overlaps } from '../intervals';
import type { Placement } from './problem';
import { samePlacement } from './rules';
import type { SolverState, Var } from './state';

/** Predecessors first; then the items with the fewest possible starts, the longest, by id. */
export function constructionOrder(state: SolverState, pending: Var[]): Var[] {
  const options = new Map<Var, number>();
  for (const v of pending) {
    let count = 0;
    for (const time of v.free.values())
      count += gridStarts(time, v.item.durationMinutes, state.problem.stepMinutes, 5000).length;
    options.set(v, count - v.notParallel.length - v.item.speakerIds.length);
  }
  const depth = new Map<Var, number>();
  const depthOf = (v: Var, seen: Set<Var>): number => {
    if (depth.has(v)) return depth.get(v) as number;
    if (seen.has(v)) return 0;
    seen.add(v);
    const d = v.preds.reduce((max, p) => (p.toPlace ? Math.max(max, depthOf(p, seen) + 1) : max), 0);
    depth.set(v, d);
    return d;
  };
  return [...pending].sort(
    (a, b) =>
      depthOf(a, new Set()) - depthOf(b, new Set()) ||
      (options.get(a) as number) - (options.get(b) as number) ||
      b.item.durationMinutes - a.item.durationMinutes ||
      (a.item.id < b.item.id ? -1 : 1),
  );
}

/** Places each item in order where it costs least, or by ejecting others; a displaced one it cannot move stays. */
export function construct(state: SolverState, order: Var[]): void {
  order.forEach((v, index) => {
    if (state.stopped || state.checkStop()) return;
    state.control.progress((0.5 * index) / Math.max(1, order.length));
    v.attempted = true;
    if (v.item.displaced && v.item.current) state.unbook(v);
    const best = state.bestPlace(v);
    if (best) state.book(v, best.at);
    else if (!eject(state, v) && v.item.current) state.book(v, v.item.current);
  });
}

/**
 * Places `v` by moving up to two movable items out of its way, each to the cheapest other place it has;
 * kept only if all of them find one. `v` is not booked (a displaced item is put back by the caller).
 */
export function eject(state: SolverState, v: Var, attempts = 60): boolean {
  const d = v.item.durationMinutes;
  const step = state.problem.stepMinutes;
  if (v.preds.some((p) => !p.place)) return false;
  const candidates: { at: Placement; blockers: Var[] }[] = [];
  for (const [spaceId, time] of v.free) {
    for (const start of gridStarts(time, d, step, 400)) {
      const at = { spaceId, start, end: start + d };
      if (v.item.displaced && samePlacement(v.item.current, at)) continue;
      if (!state.ordersHold(v, at)) continue;
      const found = blockers(state, v, at);
      if (found && found.length > 0 && found.length <= 2) candidates.push({ at, blockers: found });
    }
  }
  candidates.sort(
    (a, b) =>
      a.blockers.length - b.blockers.length ||
      a.blockers.filter((x) => x.item.published).length - b.blockers.filter((x) => x.item.published).length,
  );
  for (const { at, blockers: inTheWay } of candidates.slice(0, attempts)) {
    if (state.checkStop()) return false;
    const before = inTheWay.map((b) => b.place as Placement);
    inTheWay.forEach((b) => state.unbook(b));
    if (state.fits(v, at)) {
      state.book(v, at);
      const moved = inTheWay.map((b) => {
        const best = state.bestPlace(b);
        if (best) state.book(b, best.at);
        return best;
      });
      if (moved.every(Boolean)) {
        for (const b of inTheWay) if (b.item.current && !b.toPlace) b.why = `made room for "${v.item.title}"`;
        return true;
      }
      inTheWay.forEach((b) => state.unbook(b));
      state.unbook(v);
    }
    inTheWay.forEach((b, i) => state.book(b, before[i]));
  }
  return false;
}

/** The movable items standing in the way of `v` at `at`, or null when something immovable is. */
function blockers(state: SolverState, v: Var, at: Placement): Var[] | null {
  const owners = state.occupants(v, at);
  for (const o of v.notParallel) if (o.place && overlaps(o.place, at)) owners.add(o.item.id);
  const out: Var[] = [];
  for (const id of owners) {
    const o = state.vars.get(id) as Var;
    if (!o.movable || (o.item.displaced && o.toPlace && samePlacement(o.item.current, o.place))) return null;
    // Moving a predecessor or successor would need a chain longer than this repair looks.
    if (o.succs.length || o.preds.length) return null;
    out.push(o);
  }
  return out;
}
