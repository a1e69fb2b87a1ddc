// The B2B meeting assignment model. Pure: no NestJS, no SQL, no clock. Deterministic for a seed and an
// iteration budget; a caller may stop it early (time limit, cancel) through `shouldStop`.
import { SeededRandom } from '../random';
import type { SolveControl } from '../solve-control';

export type MeetingReasonCode =
  'no_shared_language' | 'person_busy' | 'no_table' | 'unavailable' | 'time_limit';

export interface MeetingReason {
  code: MeetingReasonCode;
  detail: string;
}

export interface MeetingParticipantInput {
  id: string;
  languages: string[];
  /** Slot indices the person cannot meet in: unavailable ranges and other confirmed items. */
  blockedSlots: number[];
}

export interface MeetingRequestInput {
  id: string;
  from: string;
  to: string;
}

export interface MeetingProblem {
  slots: number;
  tables: number;
  participants: MeetingParticipantInput[];
  /** Accepted requests, in the order they were made. */
  requests: MeetingRequestInput[];
  /** Meetings already final (published or booked): their people and table places are taken. */
  fixed?: { slot: number; table: number; participants: [string, string] }[];
}

export interface MeetingSolveOptions {
  seed?: number;
  /** Local-search moves after construction and repair; the search stops earlier when `shouldStop` says so. */
  iterations?: number;
  shouldStop?: () => boolean;
  onProgress?: (fraction: number) => void;
}

export interface MeetingAssignment {
  requestId: string;
  slot: number;
  /** 1-based table number. */
  table: number;
}

export interface MeetingSolution {
  meetings: MeetingAssignment[];
  unscheduled: { requestId: string; reasons: MeetingReason[] }[];
  stats: {
    accepted: number;
    scheduled: number;
    upperBound: number;
    participantsWithNone: number;
    /** True when the search ran its whole budget (not cut by `shouldStop`). */
    complete: boolean;
  };
}

/** The problem in index form: people 0..P-1, requests 0..R-1, each request's candidate slots. */
interface Indexed {
  S: number;
  T: number;
  P: number;
  a: Int32Array;
  b: Int32Array;
  /** Candidate slots (both free of other commitments) per request; empty when infeasible. */
  cand: number[][];
  /** Requests that may be scheduled at all (shared language and a common free slot). */
  feasible: number[];
  reasons: (MeetingReason[] | null)[];
  blocked: Uint8Array;
  /** People with at least one feasible request: those "participants with none" is counted over. */
  hasFeasible: Uint8Array;
  /** Table numbers already taken per slot by fixed meetings. */
  takenTables: Set<number>[];
  /** Tables left per slot for this run. */
  free: Int32Array;
}

function indexProblem(problem: MeetingProblem): Indexed {
  const S = problem.slots;
  const T = problem.tables;
  const P = problem.participants.length;
  const personIndex = new Map(problem.participants.map((p, i) => [p.id, i]));
  const blocked = new Uint8Array(P * S);
  problem.participants.forEach((p, i) => {
    for (const s of p.blockedSlots) if (s >= 0 && s < S) blocked[i * S + s] = 1;
  });
  const takenTables: Set<number>[] = Array.from({ length: S }, () => new Set());
  for (const f of problem.fixed ?? []) {
    if (f.slot < 0 || f.slot >= S) continue;
    takenTables[f.slot].add(f.table);
    for (const id of f.participants) {
      const p = personIndex.get(id);
      if (p !== undefined) blocked[p * S + f.slot] = 1;
    }
  }
  const free = Int32Array.from(takenTables, (t) => Math.max(0, T - t.size));
  const R = problem.requests.length;
  const a = new Int32Array(R);
  const b = new Int32Array(R);
  const cand: number[][] = [];
  const feasible: number[] = [];
  const reasons: (MeetingReason[] | null)[] = [];
  const hasFeasible = new Uint8Array(P);
  problem.requests.forEach((r, i) => {
    const pa = personIndex.get(r.from);
    const pb = personIndex.get(r.to);
    if (pa === undefined || pb === undefined) throw new Error(`request ${r.id} names an unknown participant`);
    a[i] = pa;
    b[i] = pb;
    const shared = problem.participants[pa].languages.some((l) =>
      problem.participants[pb].languages.includes(l),
    );
    const slots: number[] = [];
    for (let s = 0; s < S; s++) if (!blocked[pa * S + s] && !blocked[pb * S + s]) slots.push(s);
    cand.push(shared ? slots : []);
    if (!shared) {
      reasons.push([{ code: 'no_shared_language', detail: 'the two parties have no language in common' }]);
    } else if (slots.length === 0 || T === 0) {
      reasons.push([
        {
          code: 'unavailable',
          detail: 'the two parties have no free slot in common (unavailable or in other items)',
        },
      ]);
    } else {
      reasons.push(null);
      feasible.push(i);
      hasFeasible[pa] = 1;
      hasFeasible[pb] = 1;
    }
  });
  return { S, T, P, a, b, cand, feasible, reasons, blocked, hasFeasible, takenTables, free };
}

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

function boundOf(x: Indexed): number {
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
