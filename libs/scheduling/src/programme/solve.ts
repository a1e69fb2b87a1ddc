import type { SolveControl } from '../solve-control';
import { construct, constructionOrder } from './construct';
import { solution } from './explain';
import { localSearch } from './local-search';
import type { ProgrammeProblem, ProgrammeSolution } from './problem';
import { SolverState } from './state';

/**
 * Places programme items: most constrained first, each where it costs least, with ejection chains of up to
 * two movable items when nothing is free (`construct.ts`), then a seeded local search on the soft score until
 * the control says stop or the iteration budget is spent (`local-search.ts`); the result says what moved,
 * what found no place and why (`explain.ts`). Deterministic for a seed and an iteration budget.
 */
export function solveProgramme(problem: ProgrammeProblem, control: SolveControl): ProgrammeSolution {
  const state = new SolverState(problem, control);
  const pending = [...state.vars.values()].filter((v) => v.toPlace);
  construct(state, constructionOrder(state, pending));
  if (!state.stopped) localSearch(state);
  return solution(state);
}
