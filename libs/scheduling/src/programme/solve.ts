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
import type {
  Placement,
  ProblemItem,
  ProgrammeProblem,
  ProgrammeSolution,
  SoftWeights,
  UnplacedReason,
} from './problem';
import {
  dayIndex,
  samePlacement,
  seatsNeeded,
  sharedAvailability,
  softScore,
  softTerms,
  spaceFits,
  weightsOf,
  windowTime,
} from './rules';
import { hardViolations } from './validate';

/** Each unplaced item outweighs any soft penalty: placing items comes first (API.md, soft goals in order). */
const UNPLACED_COST = 1_000_000;
/** Feasible starts looked at per space when placing an item; enough to find the cheap ones, few enough for 1,500 items. */
const STARTS_PER_SPACE = 24;

interface Var {
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
 * Places programme items: most constrained first, each where it costs least, with ejection chains of up to
 * two movable items when nothing is free, then a seeded local search on the soft score until the control
 * says stop or the iteration budget is spent. Deterministic for a seed and an iteration budget.
 */
export function solveProgramme(problem: ProgrammeProblem, control: SolveControl): ProgrammeSolution {
  return new ProgrammeSolver(problem, control).solve();
}

class ProgrammeSolver {
  private readonly vars = new Map<string, Var>();
  private readonly spaceLines = new Map<string, Timeline>();
  private readonly speakerLines = new Map<string, Timeline>();
  private readonly typeSpaces = new Map<string, Map<string, number>>();
  private readonly days: Interval[];
  private readonly weights: SoftWeights;
  private readonly random: SeededRandom;
  private iterations = 0;
  private stopped: 'time_limit' | 'cancelled' | null = null;

  constructor(
    private readonly problem: ProgrammeProblem,
    private readonly control: SolveControl,
  ) {
    this.days = normalize(problem.days);
    this.weights = weightsOf(problem);
    if (!problem.keepPublished) this.weights.publishedMoved = Math.min(this.weights.publishedMoved, 1);
    this.random = new SeededRandom(problem.seed);
    for (const space of problem.spaces) this.spaceLines.set(space.id, new Timeline());
    for (const speaker of problem.speakers) this.speakerLines.set(speaker.id, new Timeline());
    this.buildVars();
  }

  solve(): ProgrammeSolution {
    const pending = [...this.vars.values()].filter((v) => v.toPlace);
    this.construct(this.constructionOrder(pending));
    if (!this.stopped) this.localSearch();
    return this.solution();
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

  /** Predecessors first; then the items with the fewest possible starts, the longest, by id. */
  private constructionOrder(pending: Var[]): Var[] {
    const options = new Map<Var, number>();
    for (const v of pending) {
      let count = 0;
      for (const time of v.free.values())
        count += gridStarts(time, v.item.durationMinutes, this.problem.stepMinutes, 5000).length;
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

  // Bookings

  private book(v: Var, at: Placement): void {
    v.place = at;
    this.spaceLines.get(at.spaceId)?.book(at.start, at.end, v.item.id);
    for (const s of v.item.speakerIds) this.speakerLine(s).book(at.start, at.end, v.item.id);
    const spaces = this.typeSpaces.get(v.item.type) ?? new Map<string, number>();
    spaces.set(at.spaceId, (spaces.get(at.spaceId) ?? 0) + 1);
    this.typeSpaces.set(v.item.type, spaces);
  }

  private unbook(v: Var): Placement | null {
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
  private fits(v: Var, at: Placement): boolean {
    if (v.item.displaced && samePlacement(v.item.current, at)) return false;
    if (!this.spaceLines.get(at.spaceId)?.isFree(at.start, at.end)) return false;
    for (const s of v.item.speakerIds) if (!this.speakerLine(s).isFree(at.start, at.end)) return false;
    return this.ordersHold(v, at) && !v.notParallel.some((o) => o.place && overlaps(o.place, at));
  }

  private ordersHold(v: Var, at: Placement): boolean {
    for (const p of v.preds) if (!p.place || p.place.end > at.start) return false;
    for (const s of v.succs) if (s.place && at.end > s.place.start) return false;
    return true;
  }

  // Costs

  /** The soft cost `v` adds by standing at `at` (it is not booked). */
  private cost(v: Var, at: Placement): number {
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
  private bestPlace(v: Var): { at: Placement; cost: number } | null {
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

  // Construction

  private construct(order: Var[]): void {
    order.forEach((v, index) => {
      if (this.stopped || this.checkStop()) return;
      this.control.progress((0.5 * index) / Math.max(1, order.length));
      v.attempted = true;
      if (v.item.displaced && v.item.current) this.unbook(v);
      const best = this.bestPlace(v);
      if (best) this.book(v, best.at);
      else if (!this.eject(v) && v.item.current) this.book(v, v.item.current);
    });
  }

  /**
   * Places `v` by moving up to two movable items out of its way, each to the cheapest other place it has;
   * kept only if all of them find one. `v` is not booked (a displaced item is put back by the caller).
   */
  private eject(v: Var, attempts = 60): boolean {
    const d = v.item.durationMinutes;
    const step = this.problem.stepMinutes;
    if (v.preds.some((p) => !p.place)) return false;
    const candidates: { at: Placement; blockers: Var[] }[] = [];
    for (const [spaceId, time] of v.free) {
      for (const start of gridStarts(time, d, step, 400)) {
        const at = { spaceId, start, end: start + d };
        if (v.item.displaced && samePlacement(v.item.current, at)) continue;
        if (!this.ordersHold(v, at)) continue;
        const blockers = this.blockers(v, at);
        if (blockers && blockers.length > 0 && blockers.length <= 2) candidates.push({ at, blockers });
      }
    }
    candidates.sort(
      (a, b) =>
        a.blockers.length - b.blockers.length ||
        a.blockers.filter((x) => x.item.published).length - b.blockers.filter((x) => x.item.published).length,
    );
    for (const { at, blockers } of candidates.slice(0, attempts)) {
      if (this.checkStop()) return false;
      const before = blockers.map((b) => b.place as Placement);
      blockers.forEach((b) => this.unbook(b));
      if (this.fits(v, at)) {
        this.book(v, at);
        const moved = blockers.map((b) => {
          const best = this.bestPlace(b);
          if (best) this.book(b, best.at);
          return best;
        });
        if (moved.every(Boolean)) {
          for (const b of blockers)
            if (b.item.current && !b.toPlace) b.why = `made room for "${v.item.title}"`;
          return true;
        }
        blockers.forEach((b) => this.unbook(b));
        this.unbook(v);
      }
      blockers.forEach((b, i) => this.book(b, before[i]));
    }
    return false;
  }

  /** The movable items standing in the way of `v` at `at`, or null when something immovable is. */
  private blockers(v: Var, at: Placement): Var[] | null {
    const owners = new Set<string>(this.spaceLines.get(at.spaceId)?.overlapping(at.start, at.end));
    for (const s of v.item.speakerIds)
      for (const o of this.speakerLine(s).overlapping(at.start, at.end)) owners.add(o);
    for (const o of v.notParallel) if (o.place && overlaps(o.place, at)) owners.add(o.item.id);
    const out: Var[] = [];
    for (const id of owners) {
      const o = this.vars.get(id) as Var;
      if (!o.movable || (o.item.displaced && o.toPlace && samePlacement(o.item.current, o.place)))
        return null;
      // Moving a predecessor or successor would need a chain longer than this repair looks.
      if (o.succs.length || o.preds.length) return null;
      out.push(o);
    }
    return out;
  }

  // Local search

  private localSearch(): void {
    const movable = [...this.vars.values()].filter((v) => v.movable && v.free.size > 0);
    if (movable.length === 0) return;
    const budget = this.problem.maxIterations ?? 200_000;
    const patience = Math.max(5_000, 40 * movable.length);
    let sinceBetter = 0;
    let objective = this.objective();
    for (let i = 0; i < budget && sinceBetter < patience; i++) {
      if ((i & 63) === 0) {
        if (this.checkStop()) return;
        this.control.progress(0.5 + (0.5 * i) / budget);
      }
      if (objective === 0) return;
      this.iterations++;
      const v = this.random.pick(movable);
      const improved = v.place ? this.tryRelocate(v) : v.toPlace && this.tryInsert(v);
      const next = improved ? this.objective() : objective;
      if (next < objective) {
        objective = next;
        sinceBetter = 0;
      } else sinceBetter++;
    }
  }

  /** Moves `v` to a random other feasible place when that costs no more (for a to-place item) or less. */
  private tryRelocate(v: Var): boolean {
    const spaces = [...v.free.keys()];
    const spaceId = this.random.pick(spaces);
    const time = v.free.get(spaceId) as Interval[];
    const d = v.item.durationMinutes;
    const starts = gridStarts(time, d, this.problem.stepMinutes, 2000);
    if (starts.length === 0) return false;
    const from = this.unbook(v) as Placement;
    const before = this.cost(v, from);
    const start = this.random.pick(starts);
    const at = { spaceId, start, end: start + d };
    if (this.fits(v, at) && !samePlacement(at, from)) {
      const after = this.cost(v, at);
      const delta = after - before + this.partnerDelta(v, from, at);
      if (delta < 0 || (delta === 0 && v.toPlace)) {
        this.book(v, at);
        return delta < 0;
      }
    }
    this.book(v, from);
    return false;
  }

  /** Change in the sameDayAs cost that `v`'s partners carry (the pair is counted from both sides). */
  private partnerDelta(v: Var, from: Placement, to: Placement): number {
    let delta = 0;
    const fromDay = dayIndex(this.days, from.start);
    const toDay = dayIndex(this.days, to.start);
    for (const o of v.sameDay) {
      if (!o.place) continue;
      const day = dayIndex(this.days, o.place.start);
      delta += ((day !== toDay ? 1 : 0) - (day !== fromDay ? 1 : 0)) * this.weights.sameDayMissed;
    }
    return delta;
  }

  private tryInsert(v: Var): boolean {
    const best = this.bestPlace(v);
    if (best) {
      this.book(v, best.at);
      return true;
    }
    return this.eject(v, 10);
  }

  private objective(): number {
    let unplaced = 0;
    for (const v of this.vars.values())
      if (v.toPlace && (!v.place || (samePlacement(v.place, v.item.current) && v.item.displaced))) unplaced++;
    return unplaced * UNPLACED_COST + softScore(softTerms(this.problem, this.world()), this.weights);
  }

  private world(): Map<string, Placement> {
    const world = new Map<string, Placement>();
    for (const v of this.vars.values()) if (v.place) world.set(v.item.id, v.place);
    return world;
  }

  private checkStop(): boolean {
    if (this.stopped) return true;
    if (this.control.shouldStop()) this.stopped = this.control.stopReason() ?? 'time_limit';
    return this.stopped !== null;
  }

  // The result

  private solution(): ProgrammeSolution {
    const placements: ProgrammeSolution['placements'] = [];
    const unplaced: ProgrammeSolution['unplaced'] = [];
    for (const v of this.vars.values()) {
      const { item } = v;
      if (this.problem.scope === 'all' && item.displaced && item.constraints.pinned) {
        unplaced.push({
          itemId: item.id,
          reasons: [
            { code: 'pinned', detail: `"${item.title}" is pinned, so no run moves it from where it stands` },
          ],
        });
        continue;
      }
      const stays = v.place && samePlacement(v.place, item.current);
      if (v.place && !stays) {
        placements.push({
          itemId: item.id,
          ...v.place,
          moved: !!item.current,
          ...(item.current && { previous: item.current }),
          ...(item.current && {
            why: item.displaced
              ? 'displaced from where it stood'
              : (v.why ?? 'a better place for the programme'),
          }),
        });
      } else if (v.toPlace) {
        unplaced.push({ itemId: item.id, reasons: this.reasons(v) });
      }
    }
    placements.sort((a, b) => a.start - b.start || (a.itemId < b.itemId ? -1 : 1));
    const world = this.world();
    for (const v of this.vars.values()) if (!v.place) world.delete(v.item.id);
    const terms = softTerms(this.problem, world);
    return {
      placements,
      unplaced,
      score: {
        hard: hardViolations(this.problem, placements).length,
        soft: softScore(terms, this.weights),
        terms,
      },
      stats: {
        toPlace: [...this.vars.values()].filter((v) => v.toPlace).length,
        placed: [...this.vars.values()].filter(
          (v) => v.toPlace && v.place && !(v.item.displaced && samePlacement(v.place, v.item.current)),
        ).length,
        moved: placements.filter((p) => p.moved).length,
        iterations: this.iterations,
        stoppedBy: this.stopped,
      },
    };
  }

  /** Why `v` has no place, most basic cause first, in words a programme team understands. */
  private reasons(v: Var): UnplacedReason[] {
    const { item } = v;
    const { problem } = this;
    const name = `"${item.title}"`;
    if (!v.attempted && this.stopped) {
      return [{ code: 'time_limit', detail: `the run stopped (${this.stopped}) before it reached ${name}` }];
    }
    const fitting = problem.spaces.filter((s) => spaceFits(item, s));
    if (fitting.length === 0) {
      const c = item.constraints;
      const wants = [
        c.spaceIds?.length ? `among the ${c.spaceIds.length} allowed spaces` : '',
        c.spaceKinds?.length ? `of kind ${c.spaceKinds.join(' or ')}` : '',
        `with ${seatsNeeded(item)} seats`,
      ].filter(Boolean);
      return [{ code: 'no_space_fits', detail: `no space ${wants.join(' ')} for ${name}` }];
    }
    const step = problem.stepMinutes;
    const d = item.durationMinutes;
    const windows = windowTime(problem, item);
    if (gridStarts(windows, d, step, 1).length === 0) {
      return [
        {
          code: 'no_window',
          detail: `the windows, programme dates and opening hours leave no ${d} minutes for ${name}`,
        },
      ];
    }
    const shared = sharedAvailability(problem, item);
    if (shared && gridStarts(intersect(windows, shared), d, step, 1).length === 0) {
      const names = item.speakerIds
        .map((id) => problem.speakers.find((s) => s.id === id))
        .filter((s) => s?.availability)
        .map((s) => s?.name)
        .join(', ');
      return [
        {
          code: 'speaker_unavailable',
          detail: `the speakers (${names}) are not all available for ${d} minutes together within its windows`,
        },
      ];
    }
    const missing = v.preds.filter((p) => !p.place).map((p) => `"${p.item.title}"`);
    if (missing.length) {
      return [
        {
          code: 'blocked_by_constraints',
          detail: `${name} must come after ${missing.join(', ')}, which has no place`,
        },
      ];
    }
    if (v.free.size === 0) {
      return [
        { code: 'blocked_by_constraints', detail: `every fitting space is closed whenever ${name} could be` },
      ];
    }
    const parts = ['other items take every fitting space and time'];
    if (v.preds.length) parts.push(`it must follow ${v.preds.map((p) => `"${p.item.title}"`).join(', ')}`);
    if (v.notParallel.length)
      parts.push(`it must not overlap ${v.notParallel.map((p) => `"${p.item.title}"`).join(', ')}`);
    if (item.speakerIds.length) parts.push('its speakers are busy elsewhere');
    return [{ code: 'blocked_by_constraints', detail: `${name}: ${parts.join('; ')}` }];
  }
}
