import { SeededRandom } from '../random';
import { meetingUpperBound } from './meeting-bound';
import { greedyMeetings, solveMeetings } from './meeting-model';
import { MeetingProblem, MeetingSolution } from './meeting-problem';

const person = (id: string, blockedSlots: number[] = [], languages = ['ru']) => ({
  id,
  languages,
  blockedSlots,
});
const request = (id: string, from: string, to: string) => ({ id, from, to });
/** `slots` × `tables` for a, b, c and d, free and speaking one language; a request per pair, named 'ab' for a to b. */
const amongFour = (slots: number, tables: number, pairs: string[]): MeetingProblem => ({
  slots,
  tables,
  participants: ['a', 'b', 'c', 'd'].map((id) => person(id)),
  requests: pairs.map((pair) => request(pair, pair[0], pair[1])),
});

/** Checks every rule of a schedule independently of the solver; returns the broken ones. */
function brokenRules(problem: MeetingProblem, solution: MeetingSolution): string[] {
  const broken: string[] = [];
  const people = new Map(problem.participants.map((p) => [p.id, p]));
  const requests = new Map(problem.requests.map((r) => [r.id, r]));
  const busy = new Set<string>();
  const tables = new Set<string>();
  for (const m of solution.meetings) {
    const r = requests.get(m.requestId);
    if (!r) {
      broken.push(`unknown request ${m.requestId}`);
      continue;
    }
    if (m.slot < 0 || m.slot >= problem.slots) broken.push(`${m.requestId}: slot ${m.slot} outside`);
    if (m.table < 1 || m.table > problem.tables) broken.push(`${m.requestId}: table ${m.table} outside`);
    if (tables.has(`${m.slot}/${m.table}`)) broken.push(`${m.requestId}: table place given twice`);
    tables.add(`${m.slot}/${m.table}`);
    for (const id of [r.from, r.to]) {
      const p = people.get(id)!;
      if (busy.has(`${id}/${m.slot}`)) broken.push(`${id} in two meetings in slot ${m.slot}`);
      busy.add(`${id}/${m.slot}`);
      if (p.blockedSlots.includes(m.slot)) broken.push(`${id} is not free in slot ${m.slot}`);
    }
    const [a, b] = [people.get(r.from)!, people.get(r.to)!];
    if (!a.languages.some((l) => b.languages.includes(l))) broken.push(`${m.requestId}: no shared language`);
  }
  const scheduled = new Set(solution.meetings.map((m) => m.requestId));
  const listed = new Set(solution.unscheduled.map((u) => u.requestId));
  for (const r of problem.requests)
    if (scheduled.has(r.id) === listed.has(r.id)) broken.push(`${r.id} is not exactly once in the result`);
  return broken;
}

/** A random session: `n` people, `m` requests between distinct pairs, some blocked slots. */
function randomProblem(seed: number, n: number, m: number, slots: number, tables: number): MeetingProblem {
  const rng = new SeededRandom(seed);
  const random = () => rng.next();
  const participants = Array.from({ length: n }, (_, i) =>
    person(
      `p${i}`,
      random() < 0.2 ? [Math.floor(random() * slots)] : [],
      random() < 0.1 ? ['kk'] : ['ru', 'kk'],
    ),
  );
  const pairs = new Set<string>();
  const requests = [];
  while (requests.length < m) {
    const a = Math.floor(random() * n);
    const b = Math.floor(random() * n);
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (a === b || pairs.has(key)) continue;
    pairs.add(key);
    requests.push(request(`r${requests.length}`, `p${a}`, `p${b}`));
  }
  return { slots, tables, participants, requests };
}

describe('the B2B meeting model', () => {
  it('schedules everything that fits, each person once per slot, each table place once', () => {
    const problem = amongFour(3, 2, ['ab', 'ac', 'ad', 'cd']);
    const solution = solveMeetings(problem);
    expect(brokenRules(problem, solution)).toEqual([]);
    expect(solution.stats).toMatchObject({
      accepted: 4,
      scheduled: 4,
      upperBound: 4,
      participantsWithNone: 0,
    });
    expect(solution.unscheduled).toEqual([]);
  });

  it('never puts a person in a slot they are blocked in (unavailable or in another item)', () => {
    const problem: MeetingProblem = {
      slots: 3,
      tables: 5,
      participants: [person('a', [0, 1]), person('b'), person('c', [2])],
      requests: [request('ab', 'a', 'b'), request('bc', 'b', 'c')],
    };
    const solution = solveMeetings(problem);
    expect(brokenRules(problem, solution)).toEqual([]);
    expect(solution.meetings.find((m) => m.requestId === 'ab')?.slot).toBe(2);
    expect(solution.stats.scheduled).toBe(2);
  });

  it('leaves out a request without a shared language, with no_shared_language', () => {
    const problem: MeetingProblem = {
      slots: 2,
      tables: 2,
      participants: [person('a', [], ['en']), person('b', [], ['kk'])],
      requests: [request('ab', 'a', 'b')],
    };
    const solution = solveMeetings(problem);
    expect(solution.meetings).toEqual([]);
    expect(solution.unscheduled).toEqual([
      { requestId: 'ab', reasons: [expect.objectContaining({ code: 'no_shared_language' })] },
    ]);
    expect(solution.stats.upperBound).toBe(0);
  });

  it('says unavailable when the two have no free slot in common', () => {
    const problem: MeetingProblem = {
      slots: 2,
      tables: 2,
      participants: [person('a', [0]), person('b', [1])],
      requests: [request('ab', 'a', 'b')],
    };
    expect(solveMeetings(problem).unscheduled[0].reasons.map((r) => r.code)).toEqual(['unavailable']);
  });

  it('says person_busy when every common slot holds another meeting of one of them', () => {
    // b is free only in slot 0; a must meet b there (its only option), so a–c cannot go in slot 0,
    // and c is blocked in slot 1.
    const problem: MeetingProblem = {
      slots: 2,
      tables: 3,
      participants: [person('a'), person('b', [1]), person('c', [1])],
      requests: [request('ab', 'a', 'b'), request('ac', 'a', 'c')],
    };
    const solution = solveMeetings(problem);
    expect(brokenRules(problem, solution)).toEqual([]);
    expect(solution.stats.scheduled).toBe(1);
    expect(solution.unscheduled[0].reasons.map((r) => r.code)).toEqual(['person_busy']);
  });

  it('says no_table when the tables are full in every slot both have free', () => {
    const problem = amongFour(1, 1, ['ab', 'cd']);
    const solution = solveMeetings(problem);
    expect(solution.stats).toMatchObject({ scheduled: 1, upperBound: 1 });
    expect(solution.unscheduled[0].reasons.map((r) => r.code)).toEqual(['no_table']);
  });

  it('says time_limit (with the structural reason) when stopped before it could try', () => {
    const problem = randomProblem(7, 40, 200, 6, 8);
    const solution = solveMeetings(problem, { shouldStop: () => true });
    expect(solution.stats.complete).toBe(false);
    expect(brokenRules(problem, solution)).toEqual([]);
    const coded = solution.unscheduled.filter((u) => u.reasons.some((r) => r.code === 'time_limit'));
    expect(coded.length).toBeGreaterThan(0);
  });

  it('prefers, among schedules with as many meetings, the one leaving fewest people with none', () => {
    // Two slots of one table: two meetings at most. a–b with a–c leaves d with none; a–b with c–d does not.
    const problem = amongFour(2, 1, ['ab', 'ac', 'bd', 'cd']);
    const solution = solveMeetings(problem);
    expect(solution.stats).toMatchObject({ scheduled: 2, participantsWithNone: 0 });
    expect(brokenRules(problem, solution)).toEqual([]);
  });

  it('is deterministic for a seed', () => {
    const problem = randomProblem(11, 60, 240, 8, 10);
    expect(solveMeetings(problem, { seed: 5 })).toEqual(solveMeetings(problem, { seed: 5 }));
  });

  it('keeps every rule, stays within its upper bound, and beats or equals the greedy reference', () => {
    for (const seed of [1, 2, 3]) {
      const problem = randomProblem(seed, 50, 180, 6, 8);
      const solution = solveMeetings(problem, { seed });
      const greedy = greedyMeetings(problem);
      expect(brokenRules(problem, solution)).toEqual([]);
      expect(brokenRules(problem, greedy)).toEqual([]);
      expect(solution.stats.upperBound).toBeGreaterThanOrEqual(solution.stats.scheduled);
      expect(solution.stats.upperBound).toBe(meetingUpperBound(problem));
      expect(solution.stats.scheduled).toBeGreaterThanOrEqual(greedy.stats.scheduled);
    }
  });

  it('bounds a popular person by their free slots', () => {
    // p0 has 6 requests and 3 slots: at most 3 of them, and the others (p1..p6) meet nobody else.
    const problem: MeetingProblem = {
      slots: 3,
      tables: 10,
      participants: Array.from({ length: 7 }, (_, i) => person(`p${i}`)),
      requests: Array.from({ length: 6 }, (_, i) => request(`r${i}`, `p${i + 1}`, 'p0')),
    };
    const solution = solveMeetings(problem);
    expect(solution.stats).toMatchObject({ scheduled: 3, upperBound: 3 });
    expect(solution.unscheduled.every((u) => u.reasons[0].code === 'person_busy')).toBe(true);
  });

  it('refuses a request naming an unknown participant', () => {
    expect(() =>
      solveMeetings({ slots: 1, tables: 1, participants: [person('a')], requests: [request('x', 'a', 'z')] }),
    ).toThrow(/unknown participant/);
  });
});
