import { unlimitedControl } from '../solve-control';
import type { ProblemItem, ProgrammeProblem } from './problem';
import { solveProgramme } from './solve';
import { hardViolations } from './validate';

// The small programmes the solver's tests build, in minutes from the first day's midnight.

export const H = 60;
export const DAY = 24 * H;
/** Two days open 10:00–18:00, in minutes. */
export const open = [
  { start: 10 * H, end: 18 * H },
  { start: DAY + 10 * H, end: DAY + 18 * H },
];

export function problem(items: ProblemItem[], extra: Partial<ProgrammeProblem> = {}): ProgrammeProblem {
  return {
    stepMinutes: 15,
    open,
    days: [
      { start: 0, end: DAY },
      { start: DAY, end: 2 * DAY },
    ],
    spaces: [
      { id: 'hall', name: 'Main hall', kind: 'hall', capacity: 300, closures: [] },
      { id: 'room', name: 'Room 1', kind: 'conference_room', capacity: 40, closures: [] },
    ],
    speakers: [
      { id: 'ann', name: 'Ann', availability: null },
      { id: 'bek', name: 'Bek', availability: null },
    ],
    items,
    scope: 'unplaced',
    keepPublished: true,
    seed: 7,
    maxIterations: 3000,
    ...extra,
  };
}

export function item(id: string, durationMinutes: number, extra: Partial<ProblemItem> = {}): ProblemItem {
  return {
    id,
    title: id,
    type: 'conference',
    durationMinutes,
    speakerIds: [],
    seats: 1,
    published: false,
    displaced: false,
    constraints: {},
    ...extra,
  };
}

/** Solves `p`, failing unless the independent check finds every hard rule kept; with look-ups by item. */
export function solve(p: ProgrammeProblem) {
  const solution = solveProgramme(p, unlimitedControl());
  const broken = hardViolations(p, solution.placements);
  if (broken.length > 0 || solution.score.hard !== 0)
    throw new Error(`hard rules broken (score ${solution.score.hard}): ${JSON.stringify(broken)}`);
  return {
    solution,
    at: (id: string) => solution.placements.find((x) => x.itemId === id),
    reason: (id: string) => solution.unplaced.find((u) => u.itemId === id)?.reasons[0]?.code,
  };
}
