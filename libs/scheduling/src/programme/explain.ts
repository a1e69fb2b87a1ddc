import { gridStarts, intersect } from '../intervals';
import type { ProgrammeSolution, UnplacedReason } from './problem';
import {
  samePlacement,
  seatsNeeded,
  sharedAvailability,
  softScore,
  softTerms,
  spaceFits,
  windowTime,
} from './rules';
import type { SolverState, Var } from './state';
import { hardViolations } from './validate';

/** The result: what moves where and why, what found no place and why, the score and the run's figures. */
export function solution(state: SolverState): ProgrammeSolution {
  const { problem } = state;
  const placements: ProgrammeSolution['placements'] = [];
  const unplaced: ProgrammeSolution['unplaced'] = [];
  for (const v of state.vars.values()) {
    const { item } = v;
    if (problem.scope === 'all' && item.displaced && item.constraints.pinned) {
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
      unplaced.push({ itemId: item.id, reasons: reasons(state, v) });
    }
  }
  placements.sort((a, b) => a.start - b.start || (a.itemId < b.itemId ? -1 : 1));
  const world = state.world();
  for (const v of state.vars.values()) if (!v.place) world.delete(v.item.id);
  const terms = softTerms(problem, world);
  return {
    placements,
    unplaced,
    score: {
      hard: hardViolations(problem, placements).length,
      soft: softScore(terms, state.weights),
      terms,
    },
    stats: {
      toPlace: [...state.vars.values()].filter((v) => v.toPlace).length,
      placed: [...state.vars.values()].filter(
        (v) => v.toPlace && v.place && !(v.item.displaced && samePlacement(v.place, v.item.current)),
      ).length,
      moved: placements.filter((p) => p.moved).length,
      iterations: state.iterations,
      stoppedBy: state.stopped,
    },
  };
}

/** Why `v` has no place, most basic cause first, in words a programme team understands. */
function reasons(state: SolverState, v: Var): UnplacedReason[] {
  const { item } = v;
  const { problem } = state;
  const name = `"${item.title}"`;
  if (!v.attempted && state.stopped) {
    return [{ code: 'time_limit', detail: `the run stopped (${state.stopped}) before it reached ${name}` }];
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
