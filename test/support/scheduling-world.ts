import { DateTime } from 'luxon';
import { until } from './smtp-sink';
import { NotificationStack } from './stack';

/** Instants as milliseconds, to compare placements. */
export type Range = { start: number; end: number };
export const range = (from: string, to: string): Range => ({ start: Date.parse(from), end: Date.parse(to) });
export const overlap = (a: Range, b: Range) => a.start < b.end && b.start < a.end;
export const inside = (a: Range, b: Range) => b.start <= a.start && a.end <= b.end;

/**
 * Where the scheduler suites begin: a UTC venue open 09:00–21:00 with four spaces (the tree's hall and room, a
 * conference room of `conferenceSeats` and a stage), an organizer, and a published programme for tomorrow and the
 * day after; `place` books an item of it by hand.
 */
export async function schedulingWorld(stack: NotificationStack, conferenceSeats: number) {
  const world = stack.world;
  const tree = await world.venueTree({ timezone: 'UTC' });
  const admin = await world.adminToken();
  const addSpace = (name: string, capacity: number, kind: string) =>
    world.ok(
      stack.api.post(`/api/pavilions/${tree.pavilion.id}/spaces`, { name, capacity, kind }, { token: admin }),
    );
  const conference = await addSpace('Conference room', conferenceSeats, 'conference_room');
  const stage = await addSpace('Stage', 300, 'stage');
  const organizer = await world.organizer();
  const day1 = DateTime.utc().plus({ days: 1 }).toISODate() as string;
  const day2 = DateTime.utc().plus({ days: 2 }).toISODate() as string;
  const programme = await world.programme(organizer, tree.pavilion, {
    startsOn: day1,
    endsOn: day2,
    publish: true,
  });
  const token = organizer.token;
  const place = (title: string, spaceId: string, startsAt: string, endsAt: string, extra = {}) =>
    world.item(token, programme, { type: 'presentation', title, spaceId, startsAt, endsAt, ...extra });
  const spaces = [tree.hall, tree.room, conference, stage];
  return { tree, conference, stage, spaces, admin, organizer, programme, day1, day2, token, place };
}

/** The run once its status is one of `statuses`. */
export async function waitForRun(
  stack: NotificationStack,
  token: string,
  runId: string,
  statuses = ['done', 'failed', 'cancelled'],
  ms = 45_000,
) {
  return until(
    async () => {
      const run = (await stack.api.get(`/api/scheduling-runs/${runId}`, { token })).body;
      return statuses.includes(run.status) ? run : undefined;
    },
    ms,
    `run ${runId} to be ${statuses.join(' or ')}`,
  );
}
