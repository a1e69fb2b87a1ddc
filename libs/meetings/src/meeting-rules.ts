import { DomainError, ErrorCode } from '@pavilion/core';
import { Interval } from '@pavilion/scheduling';

/** The number of whole slots a session holds. */
export function slotCount(session: { startsAt: Date; endsAt: Date; meetingMinutes: number }): number {
  return Math.floor(
    (session.endsAt.getTime() - session.startsAt.getTime()) / (session.meetingMinutes * 60_000),
  );
}

/** The slot index an instant starts, or a 400 when it is not the start of one of the session's slots. */
export function slotIndexOf(
  session: { startsAt: Date; endsAt: Date; meetingMinutes: number },
  instant: Date,
  field: string,
): number {
  const offset = instant.getTime() - session.startsAt.getTime();
  const length = session.meetingMinutes * 60_000;
  const index = offset / length;
  if (!Number.isInteger(index) || index < 0 || index >= slotCount(session))
    throw DomainError.invalid(
      field,
      `must be the start of one of the session's ${slotCount(session)} slots of ${session.meetingMinutes} minutes`,
    );
  return index;
}

/** Unavailable ranges: each from < to, at most a few, merged when they overlap. */
export function normalizeRanges(ranges: Interval[], field: string): Interval[] {
  for (const [i, r] of ranges.entries())
    if (!(r.end > r.start)) throw DomainError.invalid(`${field}[${i}]`, 'must end after it starts');
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

export const stateConflict = (message: string) => new DomainError(ErrorCode.StateConflict, message);
