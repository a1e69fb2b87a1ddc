import {
  coveredBy,
  gridStarts,
  intersect,
  normalize,
  overlaps,
  subtract,
  Timeline,
  type Interval,
} from '../intervals';
import { SeededRandom } from '../random';
import type { SolveControl } from '../solve-control';
import type { Placement, ProblemItem, ProgrammeProblem, SoftWeights } from './problem';
import {
  dayIndex,
  samePlacement,
  sharedAvailability,
  softScore,
  softTerms,
  spaceFits,
  weightsOf,
  windowTime,
} from './rules';

/** Each unplaced item outweighs any soft penalty: placing items comes first (API.md, soft goals in order). */
export const UNPLACED_COST = 1_000_000;
/** Feasible starts looked at per space when placing an item; enough to find the cheap ones, few enough for 1,500 items. */
const STARTS_PER_SPACE = 24;

/** One item as the solver works on it. */
export interface Var {
  item: ProblemItem;
  /** The run may give it a place (it is unplaced or displaced, in scope). */
  toPlace: boolean;
  /** The run may move it: to-place items, and in scope `all` every other unpinned placed item. */
  movable: boolean;
  /** Fitting spaces, each with the time the item may use there (opening × windows × speakers − closures). */
  free: Map<string, Interval[]>;
  preds: Var[];
  succs: Var[];
  notParallel: Var[];
  sameDay: Var[];
  preferred: Interval[] | null;
  place: Placement | null;
  attempted: boolean;
  why?: string;
}

/**
 * The solver's working state: every item's variable, who books each space and speaker when, and the soft cost
 * of a place. Construction (`construct.ts`), local search (`local-search.ts`) and the result (`explain.ts`)
 * all work through it.
 */
export class SolverState {
  readonly vars = new Map<string, Var>();
  private readonly spaceLines = new Map<string, Timeline>();
  private readonly speakerLines = new Map<string, Timeline>();
  private readonly typeSpaces = new Map<string, Map<string, number>>();
  readonly days: Interval[];
  readonly weights: SoftWeights;
  readonly random: SeededRandom;
  iterations = 0;
  stopped: 'time_limit' | 'cancelled' | null = null;

  constructor(
    readonly problem: ProgrammeProblem,
    readonly control: SolveControl,
  ) {
    this.days = normalize(problem.days);
    this.weights = weightsOf(problem);
    if (!problem.keepPublished) this.weights.publishedMoved = Math.min(this.weights.publishedMoved, 1);
    this.random = new SeededRandom(problem.seed);
    for (const space of problem.spaces) this.spaceLines.set(space.id, new Timeline());
    for (const speaker of problem.speakers) this.speakerLines.set(speaker.id, new Timeline());
    this.buildVars();
  }

  // Setting up

  private buildVars(): void {
    const { problem } = this;
    for (const item of problem.items) {
      const pinned = !!item.constraints.pinned || !!item.fixed;
      const toPlace = !item.current || (problem.scope === 'all' && item.displaced && !pinned);
      const movable = toPlace || (problem.scope === 'all' && !!item.current && !pinned);
      this.vars.set(item.id, {
        item,
        toPlace,
        movable,
        free: movable ? this.freeTime(item) : new Map(),
        preds: [],
        succs: [],
        notParallel: [],
        sameDay: [],
        preferred: item.constraints.preferredWindows?.length
          ? normalize(item.constraints.preferredWindows)
          : null,
        place: null,
        attempted: false,
      });
    }
    for (const v of this.vars.values()) {
      for (const id of v.item.constraints.after ?? []) {
        const pred = this.vars.get(id);
        if (pred && pred !== v) {
          v.preds.push(pred);
          pred.succs.push(v);
        }
      }
      for (const id of v.item.constraints.notParallelWith ?? []) {
        const other = this.vars.get(id);
        if (other && other !== v) {
          v.notParallel.push(other);
          other.notParallel.push(v);
        }
      }
      for (const id of v.item.constraints.sameDayAs ?? []) {
        const other = this.vars.get(id);
        if (other && other !== v) {
          v.sameDay.push(other);
          other.sameDay.push(v);
        }
      }
    }
    // Everything placed stands where it is until the run moves it (a displaced item too, so that its place
    // stays taken should it find no other).
    for (const v of this.vars.values()) if (v.item.current) this.book(v, v.item.current);
  }

  private freeTime(item: ProblemItem): Map<string, Interval[]> {
    const free = new Map<string, Interval[]>();
    let base = windowTime(this.problem, item);
    const shared = sharedAvailability(this.problem, item);
    if (shared) base = intersect(base, shared);
    for (const space of this.problem.spaces) {
      if (!spaceFits(item, space)) continue;
      const time = subtract(base, space.closures);
      if (gridStarts(time, item.durationMinutes, this.problem.stepMinutes, 1).length)
        free.set(space.id, time);
    }
    return free;
  }

  // Bookings

  book(v: Var, at: Placement): void {
    v.place = at;
    this.spaceLines.get(at.spaceId)?.book(at.start, at.end, v.item.id);
    for (const s of v.item.speakerIds) this.speakerLine(s).book(at.start, at.end, v.item.id);
    const spaces = this.typeSpaces.get(v.item.type) ?? new Map<string, number>();
    spaces.set(at.spaceId, (spaces.get(at.spaceId) ?? 0) + 1);
    this.typeSpaces.set(v.item.type, spaces);
  }

  unbook(v: Var): Placement | null {
    const at = v.place;
    if (!at) return null;
    this.spaceLines.get(at.spaceId)?.release(at.start, v.item.id);
    for (const s of v.item.speakerIds) this.speakerLine(s).release(at.start, v.item.id);
    const spaces = this.typeSpaces.get(v.item.type) as Map<string, number>;
    const left = (spaces.get(at.spaceId) as number) - 1;
    if (left === 0) spaces.delete(at.spaceId);
    else spaces.set(at.spaceId, left);
    v.place = null;
    return at;
  }

  private speakerLine(id: string): Timeline {
    let line = this.speakerLines.get(id);
    if (!line) {
      line = new Timeline();
      this.speakerLines.set(id, line);
    }
    return line;
  }

  /** Whether `v` (not booked) may stand at `at` given everything booked now. */
  fits(v: Var, at: Placement): boolean {
    if (v.item.displaced && samePlacement(v.item.current, at)) return false;
    if (!this.spaceLines.get(at.spaceId)?.isFree(at.start, at.end)) return false;
    for (const s of v.item.speakerIds) if (!this.speakerLine(s).isFree(at.start, at.end)) return false;
    return this.ordersHold(v, at) && !v.notParallel.some((o) => o.place && overlaps(o.place, at));
  }

  ordersHold(v: Var, at: Placement): boolean {
    for (const p of v.preds) if (!p.place || p.place.end > at.start) return false;
    for (const s of v.succs) if (s.place && at.end > s.place.start) return false;
    return true;
  }

  /** The ids of the items booked in `at`'s space, or by one of `v`'s speakers, during `at`. */
  occupants(v: Var, at: Placement): Set<string> {
    const owners = new Set<string>(this.spaceLines.get(at.spaceId)?.overlapping(at.start, at.end));
    for (const s of v.item.speakerIds)
      for (const o of this.speakerLine(s).overlapping(at.start, at.end)) owners.add(o);
    return owners;
  }

  // Costs

  /** The soft cost `v` adds by standing at `at` (it is not booked). */
  cost(v: Var, at: Placement): number {
    const w = this.weights;
    let cost = 0;
    if (v.preferred && !coveredBy(at, v.preferred)) cost += w.preferredWindowMissed;
    if (v.sameDay.length) {
      const day = dayIndex(this.days, at.start);
      for (const o of v.sameDay)
        if (o.place && dayIndex(this.days, o.place.start) !== day) cost += w.sameDayMissed;
    }
    const spaces = this.typeSpaces.get(v.item.type);
    if (spaces && spaces.size > 0 && !spaces.has(at.spaceId)) cost += w.spaceChangeWithinType;
    const { item } = v;
    if (item.published && item.current && !item.displaced && !samePlacement(item.current, at))
      cost += w.publishedMoved;
    return cost;
  }

  /** The cheapest place for `v` (not booked) among a bounded sample of feasible starts, or null. */
  bestPlace(v: Var): { at: Placement; cost: number } | null {
    let best: { at: Placement; cost: number } | null = null;
    const step = this.problem.stepMinutes;
    const d = v.item.durationMinutes;
    const earliest = v.preds.reduce(
      (max, p) => Math.max(max, p.place?.end ?? Number.POSITIVE_INFINITY),
      -Infinity,
    );
    if (earliest === Number.POSITIVE_INFINITY) return null;
    const consider = (at: Placement) => {
      if (!this.fits(v, at)) return false;
      const cost = this.cost(v, at);
      if (!best || cost < best.cost || (cost === best.cost && at.start < best.at.start)) best = { at, cost };
      return true;
    };
    for (const [spaceId, time] of v.free) {
      // Where it stands, the preferred windows and the partners' days first; then the earliest free gaps.
      const current = v.item.current;
      if (current && current.spaceId === spaceId) consider(current);
      const line = this.spaceLines.get(spaceId) as Timeline;
      const usable = line.gaps(
        earliest > -Infinity ? subtract(time, [{ start: -Infinity, end: earliest }]) : time,
      );
      const regions: Interval[][] = [];
      if (v.preferred) regions.push(intersect(usable, v.preferred));
      for (const o of v.sameDay) {
        if (!o.place) continue;
        const day = this.days[dayIndex(this.days, o.place.start)];
        if (day) regions.push(intersect(usable, [day]));
      }
      regions.push(usable);
      for (const region of regions) {
        let found = 0;
        for (const start of gridStarts(region, d, step, STARTS_PER_SPACE * 4)) {
          if (consider({ spaceId, start, end: start + d }) && ++found >= STARTS_PER_SPACE) break;
        }
      }
    }
    return best;
  }

  /** Unplaced to-place items (a displaced one still where it stands counts), then the soft score. */
  objective(): number {
    let unplaced = 0;
    for (const v of this.vars.values())
      if (v.toPlace && (!v.place || (samePlacement(v.place, v.item.current) && v.item.displaced))) unplaced++;
    return unplaced * UNPLACED_COST + softScore(softTerms(this.problem, this.world()), this.weights);
  }

  world(): Map<string, Placement> {
    const world = new Map<string, Placement>();
    for (const v of this.vars.values()) if (v.place) world.set(v.item.id, v.place);
    return world;
  }

  checkStop(): boolean {
    if (this.stopped) return true;
    if (this.control.shouldStop()) this.stopped = this.control.stopReason() ?? 'time_limit';
    return this.stopped !== null;
  }
}
