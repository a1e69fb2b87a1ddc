// The B2B meeting assignment problem: what the model is given and what it returns, and the index form it
// works on. Pure: no NestJS, no SQL, no clock.

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
export interface Indexed {
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

export function indexProblem(problem: MeetingProblem): Indexed {
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
