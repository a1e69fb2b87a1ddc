import { countingControl, unlimitedControl } from '../solve-control';
import type { ProblemItem, ProgrammeProblem } from './problem';
import { DAY, H, item, open, problem, solve } from './problem.fixture';
import { solveProgramme } from './solve';
import { hardViolations } from './validate';

describe('solveProgramme: hard rules', () => {
  it('never books a space twice: two 8-hour items share one space over two days', () => {
    const p = problem([item('a', 8 * H), item('b', 8 * H)], { spaces: [problem([]).spaces[0]] });
    const { at } = solve(p);
    expect(Math.floor((at('a')?.start as number) / DAY)).not.toBe(
      Math.floor((at('b')?.start as number) / DAY),
    );
  });

  it('says blocked_by_constraints when the space is full', () => {
    const p = problem([item('a', 8 * H), item('b', 8 * H), item('c', 8 * H)], {
      spaces: [problem([]).spaces[0]],
    });
    const { solution } = solve(p);
    expect(solution.placements).toHaveLength(2);
    expect(solution.unplaced.map((u) => u.reasons[0].code)).toEqual(['blocked_by_constraints']);
  });

  it('never puts a speaker in two items at once', () => {
    const p = problem([
      item('a', 5 * H, { speakerIds: ['ann'], constraints: { windows: [open[0]] } }),
      item('b', 5 * H, { speakerIds: ['ann'], constraints: { windows: [open[0]] } }),
    ]);
    const { solution, reason } = solve(p);
    expect(solution.placements).toHaveLength(1);
    expect(reason(solution.unplaced[0].itemId)).toBe('blocked_by_constraints');
  });

  it('keeps items inside opening hours, and says no_window when they are too short', () => {
    const { at, reason } = solve(problem([item('a', 2 * H), item('long', 9 * H)]));
    expect(open.some((o) => o.start <= (at('a')?.start as number) && (at('a')?.end as number) <= o.end)).toBe(
      true,
    );
    expect(reason('long')).toBe('no_window');
  });

  it('keeps to windows', () => {
    const window = { start: DAY + 14 * H, end: DAY + 16 * H };
    const { at, reason } = solve(
      problem([
        item('a', 90, { constraints: { windows: [window] } }),
        item('b', 3 * H, { constraints: { windows: [window] } }),
      ]),
    );
    expect(at('a')?.start).toBeGreaterThanOrEqual(window.start);
    expect(at('a')?.end).toBeLessThanOrEqual(window.end);
    expect(reason('b')).toBe('no_window');
  });

  it('meets spaceIds, spaceKinds and seats, and says no_space_fits when no space does', () => {
    const { at, reason } = solve(
      problem([
        item('byId', H, { constraints: { spaceIds: ['room'] } }),
        item('byKind', H, { constraints: { spaceKinds: ['hall'] } }),
        item('big', H, { constraints: { minSeats: 100 } }),
        item('bigCapacity', H, { seats: 200 }),
        item('huge', H, { constraints: { minSeats: 1000 } }),
        item('roundTable', H, { constraints: { spaceKinds: ['round_table'] } }),
      ]),
    );
    expect(at('byId')?.spaceId).toBe('room');
    expect(at('byKind')?.spaceId).toBe('hall');
    expect(at('big')?.spaceId).toBe('hall');
    expect(at('bigCapacity')?.spaceId).toBe('hall');
    expect(reason('huge')).toBe('no_space_fits');
    expect(reason('roundTable')).toBe('no_space_fits');
  });

  it('starts an item after the items it must follow, placed or placed in the same run', () => {
    const fixed = item('opening', H, { current: { spaceId: 'hall', start: 12 * H, end: 13 * H } });
    const { at } = solve(
      problem([
        fixed,
        item('forum', 2 * H, { constraints: { after: ['opening', 'keynote'] } }),
        item('keynote', H, { constraints: { windows: [open[0]] } }),
      ]),
    );
    expect(at('forum')?.start).toBeGreaterThanOrEqual(13 * H);
    expect(at('forum')?.start).toBeGreaterThanOrEqual(at('keynote')?.end as number);
  });

  it('never runs notParallelWith items at the same time', () => {
    const window = [open[0]];
    const { at } = solve(
      problem([
        item('a', 4 * H, { constraints: { windows: window, notParallelWith: ['b'] } }),
        item('b', 4 * H, { constraints: { windows: window } }),
      ]),
    );
    const a = at('a') as { start: number; end: number };
    const b = at('b') as { start: number; end: number };
    expect(a.end <= b.start || b.end <= a.start).toBe(true);
  });

  it('keeps speakers within their availability, and says speaker_unavailable when they share none', () => {
    const p = problem(
      [item('a', H, { speakerIds: ['ann'] }), item('both', H, { speakerIds: ['ann', 'bek'] })],
      {
        speakers: [
          { id: 'ann', name: 'Ann', availability: [{ start: DAY + 11 * H, end: DAY + 13 * H }] },
          { id: 'bek', name: 'Bek', availability: [{ start: 11 * H, end: 13 * H }] },
        ],
      },
    );
    const { at, reason } = solve(p);
    expect(at('a')?.start).toBeGreaterThanOrEqual(DAY + 11 * H);
    expect(at('a')?.end).toBeLessThanOrEqual(DAY + 13 * H);
    expect(reason('both')).toBe('speaker_unavailable');
  });

  it('places nothing in a closed space', () => {
    const p = problem([item('a', 4 * H, { constraints: { spaceIds: ['hall'] } })], {
      spaces: [
        {
          id: 'hall',
          name: 'Main hall',
          kind: 'hall',
          capacity: 300,
          closures: [{ start: 0, end: DAY + 12 * H }],
        },
      ],
    });
    const { at } = solve(p);
    expect(at('a')?.start).toBeGreaterThanOrEqual(DAY + 12 * H);
    const closedAll = problem([item('a', 4 * H)], {
      spaces: [
        {
          id: 'hall',
          name: 'Main hall',
          kind: 'hall',
          capacity: 300,
          closures: [{ start: 0, end: 2 * DAY }],
        },
      ],
    });
    expect(solve(closedAll).reason('a')).toBe('blocked_by_constraints');
  });

  it('finds room by moving another unplaced item out of the way', () => {
    // b fits only in the morning of day 1 in the room; a could go anywhere but may be tried there first.
    const p = problem([
      item('a', 8 * H, { constraints: { spaceIds: ['room'] } }),
      item('b', 8 * H, { constraints: { spaceIds: ['room'], windows: [open[0]] } }),
    ]);
    const { solution } = solve(p);
    expect(solution.unplaced).toEqual([]);
  });

  it('refuses an after-cycle: both items are blocked', () => {
    const { solution } = solve(
      problem([
        item('a', H, { constraints: { after: ['b'] } }),
        item('b', H, { constraints: { after: ['a'] } }),
      ]),
    );
    expect(solution.placements).toEqual([]);
    expect(solution.unplaced.map((u) => u.reasons[0].code)).toEqual([
      'blocked_by_constraints',
      'blocked_by_constraints',
    ]);
  });
});

describe('solveProgramme: soft goals, limits, determinism', () => {
  function busy(): ProgrammeProblem {
    const items: ProblemItem[] = [];
    for (let i = 0; i < 24; i++) {
      items.push(
        item(`i${i}`, [30, 60, 90][i % 3], {
          type: ['conference', 'round_table', 'presentation'][i % 3],
          speakerIds: i % 4 === 0 ? ['ann'] : i % 4 === 1 ? ['bek'] : [],
          constraints: {
            ...(i % 5 === 0 && { preferredWindows: [{ start: DAY + 10 * H, end: DAY + 13 * H }] }),
            ...(i % 7 === 1 && { sameDayAs: [`i${i + 1}`] }),
            ...(i > 0 && i % 6 === 0 && { after: [`i${i - 1}`] }),
          },
        }),
      );
    }
    return problem(items, { maxIterations: 4000 });
  }

  it('is deterministic for a seed', () => {
    const a = solveProgramme(busy(), unlimitedControl());
    const b = solveProgramme(busy(), unlimitedControl());
    expect(a).toEqual(b);
    expect(a.unplaced).toEqual([]);
  });

  it('honours preferred windows and sameDayAs when there is room', () => {
    const { solution } = solve(busy());
    expect(solution.score.terms.preferredWindowMissed).toBe(0);
    expect(solution.score.terms.sameDayMissed).toBe(0);
  });

  it('stops at the limit and lists what it did not reach as time_limit', () => {
    const solution = solveProgramme(busy(), countingControl(3));
    expect(solution.stats.stoppedBy).toBe('time_limit');
    expect(solution.unplaced.length).toBeGreaterThan(0);
    expect(solution.unplaced.every((u) => u.reasons[0].code === 'time_limit')).toBe(true);
    expect(hardViolations(busy(), solution.placements)).toEqual([]);
  });
});
