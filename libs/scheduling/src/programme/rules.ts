import { coveredBy, intersect, normalize, overlaps, type Interval } from '../intervals';
import {
  DEFAULT_WEIGHTS,
  type Placement,
  type ProblemItem,
  type ProblemSpace,
  type ProgrammeProblem,
  type SoftTerms,
  type SoftWeights,
} from './problem';

/** Seats an item needs of a space: its own capacity or `minSeats`, whichever is more. */
export function seatsNeeded(item: ProblemItem): number {
  return Math.max(item.seats, item.constraints.minSeats ?? 0);
}

/** Whether a space meets the item's `spaceIds`, `spaceKinds` and seat needs. */
export function spaceFits(item: ProblemItem, space: ProblemSpace): boolean {
  const c = item.constraints;
  if (c.spaceIds?.length && !c.spaceIds.includes(space.id)) return false;
  if (c.spaceKinds?.length && !c.spaceKinds.includes(space.kind)) return false;
  return space.capacity >= seatsNeeded(item);
}

/** Opening time inside the item's windows (all opening time when it has none). */
export function windowTime(problem: ProgrammeProblem, item: ProblemItem): Interval[] {
  const open = normalize(problem.open);
  return item.constraints.windows?.length ? intersect(open, item.constraints.windows) : open;
}

/** The time all of the item's speakers are available (null: no speaker limits it). */
export function sharedAvailability(problem: ProgrammeProblem, item: ProblemItem): Interval[] | null {
  let shared: Interval[] | null = null;
  for (const id of item.speakerIds) {
    const availability = problem.speakers.find((s) => s.id === id)?.availability;
    if (!availability) continue;
    shared = shared ? intersect(shared, availability) : normalize(availability);
  }
  return shared;
}

export function dayIndex(days: readonly Interval[], minute: number): number {
  let lo = 0;
  let hi = days.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (days[mid].end <= minute) lo = mid + 1;
    else if (days[mid].start > minute) hi = mid - 1;
    else return mid;
  }
  return -1 - lo;
}

export function samePlacement(a: Placement | undefined | null, b: Placement | undefined | null): boolean {
  return !!a && !!b && a.spaceId === b.spaceId && a.start === b.start && a.end === b.end;
}

/**
 * The one soft-score function: the solver, the greedy reference and the MIP optimum are all scored by it.
 * `world` holds where every placed item stands in the proposal (moved or not); absent means unplaced.
 */
export function softTerms(problem: ProgrammeProblem, world: ReadonlyMap<string, Placement>): SoftTerms {
  const terms: SoftTerms = {
    preferredWindowMissed: 0,
    sameDayMissed: 0,
    spaceChangeWithinType: 0,
    publishedMoved: 0,
  };
  const days = normalize(problem.days);
  const spacesByType = new Map<string, Set<string>>();
  for (const item of problem.items) {
    const at = world.get(item.id);
    if (!at) continue;
    const preferred = item.constraints.preferredWindows;
    if (preferred?.length && !coveredBy(at, normalize(preferred))) terms.preferredWindowMissed++;
    for (const otherId of item.constraints.sameDayAs ?? []) {
      const other = world.get(otherId);
      if (other && dayIndex(days, at.start) !== dayIndex(days, other.start)) terms.sameDayMissed++;
    }
    const spaces = spacesByType.get(item.type) ?? new Set<string>();
    spaces.add(at.spaceId);
    spacesByType.set(item.type, spaces);
    if (item.published && item.current && !item.displaced && !samePlacement(item.current, at))
      terms.publishedMoved++;
  }
  for (const spaces of spacesByType.values()) terms.spaceChangeWithinType += spaces.size - 1;
  return terms;
}

export function weightsOf(problem: ProgrammeProblem): SoftWeights {
  return { ...DEFAULT_WEIGHTS, ...problem.weights };
}

export function softScore(terms: SoftTerms, weights: SoftWeights): number {
  return (
    terms.preferredWindowMissed * weights.preferredWindowMissed +
    terms.sameDayMissed * weights.sameDayMissed +
    terms.spaceChangeWithinType * weights.spaceChangeWithinType +
    terms.publishedMoved * weights.publishedMoved
  );
}

export { overlaps };
