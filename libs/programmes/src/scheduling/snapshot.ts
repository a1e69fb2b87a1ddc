import { DateTime } from 'luxon';
import { venueDayRange } from '@pavilion/core';
import type { Interval, ProblemItem, ProgrammeProblem } from '@pavilion/scheduling';
import { openingIntervalsOn, OpeningHours } from '@pavilion/venues';
import type { SchedulingRunResponseDto } from '../dto/scheduling.dto';
import type { PlacementConstraints, ProgrammeItem, TimeRange } from '../programme.entities';
import type { PlacementWrite } from './scheduling-runs.repository';

/** What a run was given: the problem, and what it saw of each item so that `apply` can tell if it changed. */
export interface RunSnapshot {
  timezone: string;
  published: boolean;
  problem: ProgrammeProblem;
  seen: Record<string, PlacementWrite['seen']>;
}

export type RunOptions = SchedulingRunResponseDto['options'];

/** The model counts whole minutes since the epoch. */
export const toMinute = (at: Date | string): number => Math.round(new Date(at).getTime() / 60_000);
export const fromMinute = (minute: number): Date => new Date(minute * 60_000);
const ranges = (list: TimeRange[] | undefined | null): Interval[] | undefined =>
  list?.map((r) => ({ start: toMinute(r.from), end: toMinute(r.to) }));

/** Start times of proposals fall on this grid (minutes). */
export const STEP_MINUTES = 15;

/** Programme dates × opening hours, and the venue-local days, as minute intervals. */
export function programmeCalendar(
  programme: { startsOn: string; endsOn: string },
  hours: OpeningHours[],
  zone: string,
): { open: Interval[]; days: Interval[] } {
  const open: Interval[] = [];
  const days: Interval[] = [];
  for (
    let day = DateTime.fromISO(programme.startsOn, { zone });
    day.toISODate() !== null && (day.toISODate() as string) <= programme.endsOn;
    day = day.plus({ days: 1 })
  ) {
    const date = day.toISODate() as string;
    const range = venueDayRange(date, zone);
    days.push({ start: toMinute(range.start), end: toMinute(range.end) });
    for (const i of openingIntervalsOn(hours, { date, weekday: day.weekday })) {
      const opens = day.startOf('day').plus({ minutes: i.opensMinute });
      const closes = day.startOf('day').plus({ minutes: i.closesMinute });
      open.push({ start: toMinute(opens.toJSDate()), end: toMinute(closes.toJSDate()) });
    }
  }
  return { open, days };
}

export interface SnapshotItem {
  item: ProgrammeItem;
  speakerIds: string[];
  /** An item of another programme that takes a space or a speaker of this one. */
  foreign: boolean;
}

export function problemItem({ item, speakerIds, foreign }: SnapshotItem, published: boolean): ProblemItem {
  const c: PlacementConstraints = item.placement ?? {};
  const placed = item.status === 'scheduled' && item.spaceId && item.startsAt && item.endsAt;
  const current = placed
    ? {
        spaceId: item.spaceId as string,
        start: toMinute(item.startsAt as Date),
        end: toMinute(item.endsAt as Date),
      }
    : undefined;
  return {
    id: item.id,
    title: item.title,
    type: item.type,
    durationMinutes: current ? current.end - current.start : (item.durationMinutes as number),
    speakerIds,
    seats: item.capacityFromSpace ? 1 : item.capacity,
    ...(current && { current }),
    published: published && !!current,
    // Another programme's displaced item is not this run's to move: it only keeps taking its place.
    displaced: !!current && !foreign && item.displacedBy.length > 0,
    ...(foreign && { fixed: true }),
    constraints: {
      spaceIds: c.spaceIds,
      spaceKinds: c.spaceKinds,
      minSeats: c.minSeats,
      windows: ranges(c.windows),
      after: c.after,
      notParallelWith: c.notParallelWith,
      sameDayAs: c.sameDayAs,
      preferredWindows: ranges(c.preferredWindows),
      pinned: c.pinned,
    },
  };
}

export type { ProgrammeProblem };
