import { LocalDateTime } from '@pavilion/core';
import { OpeningHours } from './venue.entities';

export interface OpeningInterval {
  opensMinute: number;
  closesMinute: number;
}

/** The intervals a pavilion is open on one venue-local date: that date's own rows if any, else its weekday's. */
export function openingIntervalsOn(
  hours: OpeningHours[],
  day: Pick<LocalDateTime, 'date' | 'weekday'>,
): OpeningInterval[] {
  const dated = hours.filter((h) => h.onDate === day.date);
  const rows = dated.length > 0 ? dated : hours.filter((h) => h.weekday === day.weekday);
  return rows.map((h) => ({ opensMinute: h.opensMinute, closesMinute: h.closesMinute }));
}

/** True when [start, end) on one local date lies inside a single opening interval. */
export function isWithinOpeningHours(
  hours: OpeningHours[],
  start: LocalDateTime,
  end: LocalDateTime,
): boolean {
  // An end at exactly midnight belongs to the day before, as 24:00.
  const endDate = end.minutes === 0 && end.date > start.date ? start.date : end.date;
  const endMinutes = end.minutes === 0 && end.date > start.date ? 1440 : end.minutes;
  if (endDate !== start.date) return false;
  return openingIntervalsOn(hours, start).some(
    (i) => i.opensMinute <= start.minutes && endMinutes <= i.closesMinute,
  );
}
