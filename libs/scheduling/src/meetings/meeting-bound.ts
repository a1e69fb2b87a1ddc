// The proven upper bound on the meetings a schedule can hold, reported beside every solution.
import { Indexed, indexProblem, MeetingProblem } from './meeting-problem';

/**
 * A proven upper bound on the meetings any schedule can hold, the least of:
 * - slot capacity: Σ over slots of min(tables, ⌊people free in the slot with a feasible request / 2⌋);
 * - person capacity: ⌊Σ over people of min(feasible requests, free slots) / 2⌋ (each meeting uses two);
 * - overload: feasible requests minus Σ (requests − free slots) over overloaded people no two of whom have a
 *   request together (their lost requests are disjoint sets, so the losses add up).
 */
export function meetingUpperBound(problem: MeetingProblem): number {
  return boundOf(indexProblem(problem));
}

export function boundOf(x: Indexed): number {
  const { S, P } = x;
  const degree = new Int32Array(P);
  const neighbours: Set<number>[] = Array.from({ length: P }, () => new Set());
  for (const r of x.feasible) {
    degree[x.a[r]]++;
    degree[x.b[r]]++;
    neighbours[x.a[r]].add(x.b[r]);
    neighbours[x.b[r]].add(x.a[r]);
  }
  const freeSlots = (p: number) => {
    let n = 0;
    for (let s = 0; s < S; s++) if (!x.blocked[p * S + s]) n++;
    return n;
  };
  let slotCapacity = 0;
  for (let s = 0; s < S; s++) {
    let free = 0;
    for (let p = 0; p < P; p++) if (degree[p] > 0 && !x.blocked[p * S + s]) free++;
    slotCapacity += Math.min(x.free[s], Math.floor(free / 2));
  }
  let personSum = 0;
  const excess: { p: number; lost: number }[] = [];
  for (let p = 0; p < P; p++) {
    if (degree[p] === 0) continue;
    const cap = Math.min(degree[p], freeSlots(p));
    personSum += cap;
    if (degree[p] > cap) excess.push({ p, lost: degree[p] - cap });
  }
  excess.sort((u, v) => v.lost - u.lost || u.p - v.p);
  const chosen = new Set<number>();
  let lost = 0;
  for (const { p, lost: l } of excess) {
    if ([...neighbours[p]].some((q) => chosen.has(q))) continue;
    chosen.add(p);
    lost += l;
  }
  return Math.min(slotCapacity, Math.floor(personSum / 2), x.feasible.length - lost);
}
