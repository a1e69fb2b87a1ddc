import { H, item, open, problem } from './problem.fixture';
import { hardViolations } from './validate';

describe('hardViolations (the independent check)', () => {
  it('reports each broken rule', () => {
    const p = problem(
      [
        item('fixed', H, { speakerIds: ['ann'], current: { spaceId: 'room', start: 10 * H, end: 11 * H } }),
        item('x', H, {
          speakerIds: ['ann'],
          seats: 100,
          constraints: { spaceKinds: ['hall'], windows: [open[1]], after: ['y'], notParallelWith: ['fixed'] },
        }),
        item('y', H),
      ],
      {
        speakers: [{ id: 'ann', name: 'Ann', availability: [open[1]] }],
        spaces: [
          {
            id: 'room',
            name: 'Room 1',
            kind: 'conference_room',
            capacity: 40,
            closures: [{ start: 0, end: 11 * H }],
          },
        ],
      },
    );
    const rules = hardViolations(p, [{ itemId: 'x', spaceId: 'room', start: 9 * H + 30, end: 10 * H + 30 }])
      .map((v) => v.rule)
      .sort();
    expect(rules).toEqual(
      [
        'after',
        'capacity',
        'closure',
        'notParallelWith',
        'opening_hours',
        'space_free',
        'spaceKinds',
        'speaker_availability',
        'speaker_free',
        'windows',
      ].sort(),
    );
  });
});
