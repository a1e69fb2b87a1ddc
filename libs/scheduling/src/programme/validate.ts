import { coveredBy, normalize, overlaps } from '../intervals';
import type { Placement, ProgrammeProblem } from './problem';
import { samePlacement, seatsNeeded } from './rules';

export interface HardViolation {
  rule: string;
  itemId: string;
  detail: string;
}

/**
 * Checks a proposal against every hard rule, written apart from the solver (naively, pair by pair) so that
 * tests and the benchmark do not trust the solver's own bookkeeping. `changes` are the proposal's
 * placements; every other item stays where it stands. Rules bind the changed items: pairs of two unchanged
 * items are the database's business, not the proposal's.
 */
export function hardViolations(
  problem: ProgrammeProblem,
  changes: readonly (Placement & { itemId: string })[],
): HardViolation[] {
  const out: HardViolation[] = [];
  const items = new Map(problem.items.map((i) => [i.id, i]));
  const spaces = new Map(problem.spaces.map((s) => [s.id, s]));
  const speakers = new Map(problem.speakers.map((s) => [s.id, s]));
  const world = new Map<string, Placement>();
  for (const item of problem.items) if (item.current) world.set(item.id, item.current);
  const changed = new Set<string>();
  for (const change of changes) {
    if (changed.has(change.itemId)) out.push({ rule: 'once', itemId: change.itemId, detail: 'placed twice' });
    changed.add(change.itemId);
    world.set(change.itemId, change);
  }
  const open = normalize(problem.open);

  for (const itemId of changed) {
    const item = items.get(itemId);
    const at = world.get(itemId) as Placement;
    const fail = (rule: string, detail: string) => out.push({ rule, itemId, detail });
    if (!item) {
      fail('known_item', 'not an item of the problem');
      continue;
    }
    const space = spaces.get(at.spaceId);
    if (!space) {
      fail('known_space', `unknown space ${at.spaceId}`);
      continue;
    }
    const c = item.constraints;
    if (at.end - at.start !== item.durationMinutes) fail('duration', 'length differs from durationMinutes');
    if (c.pinned && item.current) fail('pinned', 'a pinned item was moved');
    if (item.fixed) fail('fixed', "another programme's item was moved");
    if (problem.scope === 'unplaced' && item.current)
      fail('scope', 'a placed item was moved in an unplaced-only run');
    if (item.displaced && samePlacement(item.current, at)) fail('displaced', 'proposed where it stands');
    if (!coveredBy(at, open)) fail('opening_hours', 'outside the programme dates and opening hours');
    if (seatsNeeded(item) > space.capacity)
      fail('capacity', `needs ${seatsNeeded(item)} seats, ${space.name} has ${space.capacity}`);
    if (c.spaceIds?.length && !c.spaceIds.includes(space.id))
      fail('spaceIds', `${space.name} is not allowed`);
    if (c.spaceKinds?.length && !c.spaceKinds.includes(space.kind))
      fail('spaceKinds', `${space.kind} is not allowed`);
    if (c.windows?.length && !coveredBy(at, normalize(c.windows))) fail('windows', 'outside its windows');
    if (space.closures.some((closure) => overlaps(closure, at)))
      fail('closure', `${space.name} is closed then`);
    for (const speakerId of item.speakerIds) {
      const availability = speakers.get(speakerId)?.availability;
      if (availability && !coveredBy(at, normalize(availability)))
        fail('speaker_availability', `speaker ${speakerId} is not available then`);
    }
    for (const beforeId of c.after ?? []) {
      const before = world.get(beforeId);
      if (!before) fail('after', `must follow ${beforeId}, which is not placed`);
      else if (before.end > at.start) fail('after', `starts before ${beforeId} ends`);
    }
    for (const other of problem.items) {
      if (other.id === itemId) continue;
      const there = world.get(other.id);
      if (!there) continue;
      if ((other.constraints.after ?? []).includes(itemId) && at.end > there.start && !changed.has(other.id))
        fail('after', `${other.id} must start after it ends`);
      if (!overlaps(at, there)) continue;
      // Pairs of two changed items are reported once, from the smaller id.
      if (changed.has(other.id) && other.id < itemId) continue;
      if (there.spaceId === at.spaceId) fail('space_free', `overlaps ${other.id} in ${space.name}`);
      const shared = item.speakerIds.filter((s) => other.speakerIds.includes(s));
      if (shared.length) fail('speaker_free', `speaker ${shared.join(', ')} is also in ${other.id}`);
      if (
        (c.notParallelWith ?? []).includes(other.id) ||
        (other.constraints.notParallelWith ?? []).includes(itemId)
      )
        fail('notParallelWith', `runs in parallel with ${other.id}`);
    }
  }
  return out;
}
