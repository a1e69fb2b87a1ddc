// The B2B meeting assignment model. Pure: no NestJS, no SQL, no clock. Deterministic for a seed and an
// iteration budget; a caller may stop it early (time limit, cancel) through `shouldStop`.
import { SeededRandom } from '../random';
import type { SolveControl } from '../solve-control';
import { boundOf } from './meeting-bound';
import {
  Indexed,
  indexProblem,
  MeetingAssignment,
  MeetingProblem,
  MeetingReason,
  MeetingSolution,
  MeetingSolveOptions,
} from './meeting-problem';

/** Mutable assignment state with an undo log, so a tentative move can be rolled back exactly. */
class Schedule {
  readonly slotOf: Int32Array;
  readonly at: Int32Array; // person × slot → request, or -1
  readonly load: Int32Array;
  readonly members: Int32Array; // slot × table position → request
  readonly position: Int32Array; // request → its index in members of its slot
  readonly meetingsOf: Int32Array;
  count = 0;
  withNone: number;
  private log: number[] = [];

  constructor(private readonly x: Indexed) {
    const R = x.a.length;
    this.slotOf = new Int32Array(R).fill(-1);
    this.at = new Int32Array(x.P * x.S).fill(-1);
    this.load = new Int32Array(x.S);
    this.members = new Int32Array(Math.max(1, x.S * x.T)).fill(-1);
    this.position = new Int32Array(R).fill(-1);
    this.meetingsOf = new Int32Array(x.P);
    this.withNone = x.hasFeasible.reduce((n, v) => n + v, 0);
  }

  fits(r: number, s: number): boolean {
    const { S } = this.x;
    return (
      this.load[s] < this.x.free[s] && this.at[this.x.a[r] * S + s] < 0 && this.at[this.x.b[r] * S + s] < 0
    );
  }

  place(r: number, s: number, logged = true): void {
    const { S, T } = this.x;
    const a = this.x.a[r];
    const b = this.x.b[r];
    this.slotOf[r] = s;
    this.at[a * S + s] = r;
    this.at[b * S + s] = r;
    this.members[s * T + this.load[s]] = r;
    this.position[r] = this.load[s]++;
    if (this.meetingsOf[a]++ === 0) this.withNone--;
    if (this.meetingsOf[b]++ === 0) this.withNone--;
    this.count++;
    if (logged) this.log.push(r, s);
  }

  remove(r: number, logged = true): void {
    const { S, T } = this.x;
    const s = this.slotOf[r];
    const a = this.x.a[r];
    const b = this.x.b[r];
    this.slotOf[r] = -1;
    this.at[a * S + s] = -1;
    this.at[b * S + s] = -1;
    const last = this.members[s * T + --this.load[s]];
    this.members[s * T + this.position[r]] = last;
    this.position[last] = this.position[r];
    this.members[s * T + this.load[s]] = -1;
    this.position[r] = -1;
    if (--this.meetingsOf[a] === 0) this.withNone++;
    if (--this.meetingsOf[b] === 0) this.withNone++;
    this.count--;
    if (logged) this.log.push(r, -1 - s);
  }

  checkpoint(): number {
    return this.log.length;
  }

  rollback(to: number): void {
    while (this.log.length > to) {
      const s = this.log.pop() as number;
      const r = this.log.pop() as number;
      if (s >= 0) this.remove(r, false);
      else this.place(r, -1 - s, false);
    }
  }

  commit(): void {
    this.log = [];
  }
}

/** Assigns accepted requests to (slot, table): as many meetings as it can, then the fewest people with none. */
export function solveMeetings(problem: MeetingProblem, options: MeetingSolveOptions = {}): MeetingSolution {
  const x = indexProblem(problem);
  const rng = new SeededRandom(options.seed ?? 1);
  const random = () => rng.next();
  const iterations = options.iterations ?? 20_000 + 40 * x.feasible.length;
  const stop = options.shouldStop ?? (() => false);
  const state = new Schedule(x);
  const upperBound = boundOf(x);

  // Construction: the most constrained first (fewest candidate slots, then the person with fewest requests),
  // each into its least loaded free slot, so tables fill evenly.
  const degree = new Int32Array(x.P);
  for (const r of x.feasible) {
    degree[x.a[r]]++;
    degree[x.b[r]]++;
  }
  const order = [...x.feasible].sort(
    (u, v) =>
      x.cand[u].length - x.cand[v].length ||
      Math.min(degree[x.a[u]], degree[x.b[u]]) - Math.min(degree[x.a[v]], degree[x.b[v]]) ||
      u - v,
  );
  for (const r of order) {
    let best = -1;
    for (const s of x.cand[r])
      if (state.fits(r, s) && (best < 0 || state.load[s] < state.load[best])) best = s;
    if (best >= 0) state.place(r, best);
  }
  state.commit();

  /** Places r, moving at most `depth` levels of meetings out of its way; leaves the state unchanged on failure. */
  const insert = (r: number, depth: number, forbidden: number): boolean => {
    const slots = x.cand[r];
    const start = slots.length > 1 ? Math.floor(random() * slots.length) : 0;
    for (let k = 0; k < slots.length; k++) {
      const s = slots[(start + k) % slots.length];
      if (s !== forbidden && state.fits(r, s)) {
        state.place(r, s);
        return true;
      }
    }
    if (depth === 0) return false;
    for (let k = 0; k < slots.length; k++) {
      const s = slots[(start + k) % slots.length];
      if (s === forbidden) continue;
      const mark = state.checkpoint();
      const ejected = eject(r, s);
      state.place(r, s);
      if (ejected.every((e) => insert(e, depth - 1, s))) return true;
      state.rollback(mark);
    }
    return false;
  };

  /** Removes what stands in r's way at s: the meetings of its two people there, and one more if tables are full. */
  const eject = (r: number, s: number): number[] => {
    const out: number[] = [];
    for (const p of [x.a[r], x.b[r]]) {
      const m = state.at[p * x.S + s];
      if (m >= 0 && !out.includes(m)) {
        state.remove(m);
        out.push(m);
      }
    }
    if (state.load[s] >= x.free[s] && state.load[s] > 0) {
      const m = state.members[s * x.T + Math.floor(random() * state.load[s])];
      state.remove(m);
      out.push(m);
    }
    return out;
  };

  // Repair: every unscheduled request gets a try with one level of moves.
  for (const r of order) if (state.slotOf[r] < 0 && insert(r, 1, -1)) state.commit();
  state.commit();

  // Local search: force an unscheduled request in (people with none first), re-place what it pushed out;
  // keep the change unless it loses a meeting or leaves more people with none.
  let complete = true;
  let waiting: number[] = [];
  let stale = true;
  // Plateau moves are kept (they let the search wander), but a long run without a strict gain ends it.
  const patience = 5_000 + 20 * x.feasible.length;
  let sinceGain = 0;
  for (let i = 0; i < iterations && sinceGain < patience; i++) {
    if ((i & 255) === 0) {
      if (stop()) {
        complete = false;
        break;
      }
      options.onProgress?.(i / iterations);
    }
    if (stale) {
      waiting = x.feasible.filter((r) => state.slotOf[r] < 0);
      stale = false;
    }
    if (waiting.length === 0) break;
    const lonely = waiting.filter((r) => state.meetingsOf[x.a[r]] === 0 || state.meetingsOf[x.b[r]] === 0);
    if (state.count >= upperBound && lonely.length === 0) break;
    const pool = lonely.length > 0 && random() < 0.5 ? lonely : waiting;
    const r = pool[Math.floor(random() * pool.length)];
    const slots = x.cand[r];
    const s = slots[Math.floor(random() * slots.length)];
    const before = { count: state.count, withNone: state.withNone };
    const mark = state.checkpoint();
    const ejected = eject(r, s);
    state.place(r, s);
    for (const e of ejected) insert(e, 1, s);
    const gain =
      state.count > before.count || (state.count === before.count && state.withNone < before.withNone);
    sinceGain = gain ? 0 : sinceGain + 1;
    if (gain || (state.count === before.count && state.withNone === before.withNone)) {
      state.commit();
      stale = true;
    } else state.rollback(mark);
  }
  options.onProgress?.(1);

  return describe(problem, x, state, upperBound, complete);
}

function describe(
  problem: MeetingProblem,
  x: Indexed,
  state: Schedule,
  upperBound: number,
  complete: boolean,
): MeetingSolution {
  const meetings: MeetingAssignment[] = [];
  const tableCursor = new Int32Array(x.S);
  // Tables are numbered per slot in request order (skipping fixed meetings' tables), so the same assignment
  // always gives the same tables.
  problem.requests.forEach((req, r) => {
    const s = state.slotOf[r];
    if (s < 0) return;
    do tableCursor[s]++;
    while (x.takenTables[s].has(tableCursor[s]));
    meetings.push({ requestId: req.id, slot: s, table: tableCursor[s] });
  });
  const unscheduled = problem.requests.flatMap((req, r) => {
    if (state.slotOf[r] >= 0) return [];
    const fixed = x.reasons[r];
    if (fixed) return [{ requestId: req.id, reasons: fixed }];
    const bothFree = x.cand[r].filter(
      (s) => state.at[x.a[r] * x.S + s] < 0 && state.at[x.b[r] * x.S + s] < 0,
    );
    const reasons: MeetingReason[] = [];
    if (!complete)
      reasons.push({ code: 'time_limit', detail: 'the search stopped at the time limit before placing it' });
    reasons.push(
      bothFree.length === 0
        ? {
            code: 'person_busy',
            detail: `in each of the ${x.cand[r].length} slots both could meet, one of them has another meeting`,
          }
        : {
            code: 'no_table',
            detail: `every table is taken in the ${bothFree.length} slots where both are free`,
          },
    );
    return [{ requestId: req.id, reasons }];
  });
  let withNone = 0;
  for (let p = 0; p < x.P; p++) if (x.hasFeasible[p] && state.meetingsOf[p] === 0) withNone++;
  return {
    meetings,
    unscheduled,
    stats: {
      accepted: problem.requests.length,
      scheduled: meetings.length,
      upperBound,
      participantsWithNone: withNone,
      complete,
    },
  };
}

/** The reference a person would do by hand: in request order, the first slot with both free and a table. */
export function greedyMeetings(problem: MeetingProblem): MeetingSolution {
  const x = indexProblem(problem);
  const state = new Schedule(x);
  problem.requests.forEach((_, r) => {
    const s = x.cand[r].find((slot) => state.fits(r, slot));
    if (s !== undefined) state.place(r, s, false);
  });
  return describe(problem, x, state, boundOf(x), true);
}

/** What a solve thread receives for a meeting problem. */
export interface MeetingSolveInput {
  problem: MeetingProblem;
  seed: number;
  iterations?: number;
}

/** The model as a thread's solver (see solveInThread): the thread's control carries the time limit and cancel. */
export function solveMeetingsSolver(input: MeetingSolveInput, control: SolveControl): MeetingSolution {
  return solveMeetings(input.problem, {
    seed: input.seed,
    iterations: input.iterations,
    shouldStop: () => control.shouldStop(),
    onProgress: (fraction) => control.progress(fraction),
  });
}
