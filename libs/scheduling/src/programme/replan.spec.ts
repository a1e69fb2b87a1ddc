import { H, item, problem, solve } from './problem.fixture';

describe('solveProgramme: re-planning (scope all)', () => {
  const at9 = (space: string, hour: number, hours = 1) => ({
    spaceId: space,
    start: hour * H,
    end: (hour + hours) * H,
  });
  /** The fixture's two spaces, the hall closed from 10:00 to 11:00 on the first day. */
  const hallClosedAtTen = problem([]).spaces.map((s) =>
    s.id === 'hall' ? { ...s, closures: [{ start: 10 * H, end: 11 * H }] } : s,
  );

  it('moves a displaced item, never to where it stands, and leaves other published items alone', () => {
    const items = [
      item('displaced', H, { published: true, displaced: true, current: at9('hall', 10) }),
      item('other', H, { published: true, current: at9('hall', 11) }),
      item('third', H, { published: true, current: at9('room', 10) }),
    ];
    const p = problem(items, {
      scope: 'all',
      spaces: hallClosedAtTen,
    });
    const { solution } = solve(p);
    expect(solution.placements.map((x) => x.itemId)).toEqual(['displaced']);
    expect(solution.placements[0]).toMatchObject({ moved: true, previous: at9('hall', 10) });
    expect(solution.score.terms.publishedMoved).toBe(0);
  });

  it('moves another published item only when the displaced one cannot go elsewhere, and says why', () => {
    // Open 10–12 on day 1 only; the hall's 10:00 hour closes, "displaced" needs the hall, "other" holds 11:00.
    const items = [
      item('displaced', H, {
        published: true,
        displaced: true,
        current: at9('hall', 10),
        constraints: { spaceIds: ['hall'] },
      }),
      item('other', H, { published: true, current: at9('hall', 11) }),
    ];
    const p = problem(items, {
      scope: 'all',
      open: [{ start: 10 * H, end: 12 * H }],
      spaces: hallClosedAtTen,
    });
    const { solution } = solve(p);
    expect(solution.unplaced).toEqual([]);
    const other = solution.placements.find((x) => x.itemId === 'other');
    expect(other).toMatchObject({ moved: true, why: 'made room for "displaced"' });
    expect(solution.placements).toHaveLength(2);
  });

  it('never moves a pinned item: a pinned displaced item is listed with reason pinned', () => {
    const p = problem(
      [
        item('pinnedOne', H, {
          published: true,
          displaced: true,
          current: at9('hall', 10),
          constraints: { pinned: true },
        }),
      ],
      { scope: 'all' },
    );
    const { solution } = solve(p);
    expect(solution.placements).toEqual([]);
    expect(solution.unplaced).toEqual([
      { itemId: 'pinnedOne', reasons: [expect.objectContaining({ code: 'pinned' })] },
    ]);
  });

  it('leaves placed items alone in an unplaced-only run', () => {
    const p = problem([item('placed', H, { displaced: true, current: at9('hall', 10) }), item('new', H)]);
    const { solution } = solve(p);
    expect(solution.placements.map((x) => x.itemId)).toEqual(['new']);
  });
});
