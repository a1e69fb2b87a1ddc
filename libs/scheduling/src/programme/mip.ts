import { gridStarts, intersect, normalize, subtract, type Interval } from '../intervals';
import type { Placement, ProgrammeProblem } from './problem';
import { dayIndex, sharedAvailability, spaceFits, weightsOf, windowTime } from './rules';

/** A programme problem as a mixed-integer programme in CPLEX LP text, and the way back from its columns. */
export interface ProgrammeMip {
  lp: string;
  /** Column name → the placement it stands for. */
  columns: Map<string, Placement & { itemId: string }>;
}

/**
 * A time-indexed formulation (one binary per item × space × start) of an unplaced-only problem: placing
 * every item weighs more than any soft term, then the same soft terms as `softTerms`. For small instances,
 * as an exact reference (the solver's results are compared with the optimum HiGHS proves).
 */
export function programmeMip(problem: ProgrammeProblem): ProgrammeMip {
  const w = weightsOf(problem);
  const step = problem.stepMinutes;
  const days = normalize(problem.days);
  const origin = Math.min(...problem.open.map((o) => o.start));
  const horizon = Math.max(...problem.open.map((o) => o.end)) - origin;
  const columns = new Map<string, Placement & { itemId: string }>();
  const byItem = new Map<string, string[]>();
  const cover = new Map<string, string[]>(); // "space|minute" and "speaker|minute" and "item|minute" → columns
  const add = (key: string, col: string) => {
    const list = cover.get(key);
    if (list) list.push(col);
    else cover.set(key, [col]);
  };
  const objective: string[] = [];
  const rows: string[] = [];
  const binaries: string[] = [];
  const fixed = problem.items.filter((i) => i.current);
  const toPlace = problem.items.filter((i) => !i.current);
  let n = 0;
  for (const item of toPlace) {
    const cols: string[] = [];
    let base = windowTime(problem, item);
    const shared = sharedAvailability(problem, item);
    if (shared) base = intersect(base, shared);
    for (const o of fixed) {
      if (o.speakerIds.some((s) => item.speakerIds.includes(s)))
        base = subtract(base, [o.current as Interval]);
    }
    for (const space of problem.spaces) {
      if (!spaceFits(item, space)) continue;
      const taken = fixed.filter((o) => o.current?.spaceId === space.id).map((o) => o.current as Interval);
      const free = subtract(subtract(base, space.closures), taken);
      for (const start of gridStarts(free, item.durationMinutes, step)) {
        const col = `x${n++}`;
        const end = start + item.durationMinutes;
        columns.set(col, { itemId: item.id, spaceId: space.id, start, end });
        cols.push(col);
        binaries.push(col);
        const preferred = item.constraints.preferredWindows;
        if (preferred?.length && !preferred.some((p) => p.start <= start && end <= p.end))
          objective.push(`${w.preferredWindowMissed} ${col}`);
        for (let t = start; t < end; t += step) {
          add(`s|${space.id}|${t}`, col);
          for (const k of item.speakerIds) add(`k|${k}|${t}`, col);
          add(`i|${item.id}|${t}`, col);
        }
      }
    }
    byItem.set(item.id, cols);
    const y = `y_${safe(item.id)}`;
    binaries.push(y);
    // Each unplaced item costs more than all soft terms together could.
    objective.push(`-1000000 ${y}`);
    rows.push(`${terms(cols.map((c) => `+ ${c}`))} - ${y} = 0`);
  }
  for (const [key, cols] of cover) {
    if (!key.startsWith('i|') && cols.length > 1) rows.push(`${terms(cols.map((c) => `+ ${c}`))} <= 1`);
  }
  const placedSet = new Set(toPlace.map((i) => i.id));
  for (const item of toPlace) {
    for (const otherId of item.constraints.notParallelWith ?? []) {
      if (!placedSet.has(otherId)) continue;
      const times = new Set<number>();
      for (const key of cover.keys()) {
        const [kind, id, t] = key.split('|');
        if (kind === 'i' && (id === item.id || id === otherId)) times.add(Number(t));
      }
      for (const t of times) {
        const cols = [...(cover.get(`i|${item.id}|${t}`) ?? []), ...(cover.get(`i|${otherId}|${t}`) ?? [])];
        if (cols.length > 1) rows.push(`${terms(cols.map((c) => `+ ${c}`))} <= 1`);
      }
    }
    const yj = `y_${safe(item.id)}`;
    for (const beforeId of item.constraints.after ?? []) {
      const before = problem.items.find((i) => i.id === beforeId);
      if (!before) continue;
      if (before.current) {
        // start_j ≥ end of a fixed item: drop the columns that start earlier.
        for (const col of byItem.get(item.id) ?? [])
          if ((columns.get(col) as Placement).start < before.current.end) rows.push(`${col} = 0`);
        continue;
      }
      const yi = `y_${safe(beforeId)}`;
      rows.push(`${yj} - ${yi} <= 0`);
      const m = horizon + 1440;
      const sj = (byItem.get(item.id) ?? []).map(
        (c) => `+ ${(columns.get(c) as Placement).start - origin} ${c}`,
      );
      const ei = (byItem.get(beforeId) ?? []).map(
        (c) => `- ${(columns.get(c) as Placement).end - origin} ${c}`,
      );
      rows.push(`${terms([...sj, ...ei])} - ${m} ${yj} >= -${m}`);
    }
    for (const otherId of item.constraints.sameDayAs ?? []) {
      if (!placedSet.has(otherId)) continue;
      const mcol = `m_${safe(item.id)}_${safe(otherId)}`;
      objective.push(`${w.sameDayMissed} ${mcol}`);
      for (let d = 0; d < days.length; d++) {
        const mine = (byItem.get(item.id) ?? []).filter(
          (c) => dayIndex(days, (columns.get(c) as Placement).start) === d,
        );
        const theirs = (byItem.get(otherId) ?? []).filter(
          (c) => dayIndex(days, (columns.get(c) as Placement).start) === d,
        );
        if (!mine.length) continue;
        rows.push(`${terms([...mine.map((c) => `+ ${c}`), ...theirs.map((c) => `- ${c}`)])} - ${mcol} <= 0`);
      }
      binaries.push(mcol);
    }
  }
  const types = new Set(toPlace.map((i) => i.type));
  for (const type of types) {
    const members = toPlace.filter((i) => i.type === type);
    const fixedSpaces = new Set(fixed.filter((i) => i.type === type).map((i) => i.current?.spaceId));
    for (const space of problem.spaces) {
      const cols = members.flatMap((i) =>
        (byItem.get(i.id) ?? []).filter((c) => columns.get(c)?.spaceId === space.id),
      );
      if (!cols.length || fixedSpaces.has(space.id)) continue;
      const u = `u_${safe(type)}_${safe(space.id)}`;
      binaries.push(u);
      objective.push(`${w.spaceChangeWithinType} ${u}`);
      rows.push(`${terms(cols.map((c) => `+ ${c}`))} - ${members.length} ${u} <= 0`);
    }
  }
  const lp = [
    'Minimize',
    ` obj: ${terms(objective.map((t) => (t.startsWith('-') ? `- ${t.slice(1)}` : `+ ${t}`)))}`,
    'Subject To',
    ...rows.map((r, i) => ` r${i}: ${r}`),
    'Binary',
    ...chunk(binaries, 10).map((line) => ` ${line.join(' ')}`),
    'End',
  ].join('\n');
  return { lp, columns };
}

function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9_]/g, '_');
}

/** Terms joined, broken into lines HiGHS's LP reader takes comfortably. */
function terms(list: string[]): string {
  return chunk(list, 12)
    .map((line) => line.join(' '))
    .join('\n   ');
}

function chunk<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
