import { DateTime, IANAZone } from 'luxon';
import { DomainError, ErrorCode } from './domain-error';

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const WALL_CLOCK = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function isValidLocalDate(value: string): boolean {
  return ISO_DATE.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

/** 'HH:mm' (or '24:00') → minutes after midnight, or null when malformed. */
export function parseWallClock(value: string): number | null {
  if (!WALL_CLOCK.test(value)) return null;
  if (value === '24:00') return 24 * 60;
  const [h, m] = value.split(':').map(Number);
  return h * 60 + m;
}

export function formatWallClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Reads an ISO 8601 timestamp for a venue: with an offset or `Z` it is that instant; without one it is a
 * wall-clock time in `zone`, and a wall time that the zone skips or repeats (DST) is refused.
 */
export function parseVenueInstant(input: string, zone: string, field: string): Date {
  const match = ISO_INSTANT.exec(input);
  if (!match) {
    throw DomainError.invalid(
      field,
      'must be an ISO 8601 date-time such as 2017-08-15T10:00 or 2017-08-15T10:00+06:00',
    );
  }
  const hasOffset = match[8] !== undefined;
  const parsed = hasOffset ? DateTime.fromISO(input, { setZone: true }) : DateTime.fromISO(input, { zone });
  if (!parsed.isValid) throw DomainError.invalid(field, `is not a real date-time (${input})`);
  if (hasOffset) return parsed.toJSDate();

  const [, y, mo, d, h, mi] = match.map(Number);
  if (
    parsed.year !== y ||
    parsed.month !== mo ||
    parsed.day !== d ||
    parsed.hour !== h ||
    parsed.minute !== mi
  ) {
    throw new DomainError(
      ErrorCode.InvalidWallTime,
      `${field} ${input} does not exist in ${zone} (clocks skip it)`,
      {
        errors: [{ field, message: `${input} does not exist in ${zone}: the clocks skip that time` }],
      },
    );
  }
  if (parsed.getPossibleOffsets().length > 1) {
    throw new DomainError(
      ErrorCode.InvalidWallTime,
      `${field} ${input} is ambiguous in ${zone} (clocks repeat it)`,
      {
        errors: [{ field, message: `${input} happens twice in ${zone}: add the UTC offset to say which` }],
      },
    );
  }
  return parsed.toJSDate();
}

/** An instant as ISO 8601 with the venue's UTC offset at that instant, e.g. 2017-08-15T10:00:00+06:00. */
export function formatVenueInstant(instant: Date, zone: string): string {
  const ms = instant.getTime();
  const offset = offsetMinutes(ms, zone);
  if (offset === null || !Number.isFinite(ms)) {
    return DateTime.fromJSDate(instant, { zone }).toISO({ suppressMilliseconds: true }) as string;
  }
  const local = new Date(ms + offset * 60_000).toISOString();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  // luxon's own rule: the zone named UTC (or GMT) is written Z, every other zone with its offset.
  const utc = zone.length === 3 && (zone.toLowerCase() === 'utc' || zone.toLowerCase() === 'gmt');
  const tz = utc ? 'Z' : `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  return `${ms % 1000 === 0 ? local.slice(0, 19) : local.slice(0, 23)}${tz}`;
}

const HOUR_MS = 3_600_000;
const offsetCache = new Map<string, number | null>();

/**
 * The zone's UTC offset in whole minutes at an instant, cached per zone and hour (pages format thousands of
 * instants). An hour whose two ends differ (a transition inside it) or an offset in seconds gives null: ask luxon.
 */
function offsetMinutes(ms: number, zone: string): number | null {
  const hour = Math.floor(ms / HOUR_MS);
  const key = `${zone}|${hour}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    const iana = IANAZone.create(zone);
    const start = iana.offset(hour * HOUR_MS);
    const end = iana.offset((hour + 1) * HOUR_MS - 1);
    offset = start === end && Number.isInteger(start) ? start : null;
    if (offsetCache.size > 50_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export interface LocalDateTime {
  date: string;
  minutes: number;
  weekday: number;
}

/** The venue-local calendar date, minutes after midnight and ISO weekday (1 = Monday) of an instant. */
export function toVenueLocal(instant: Date, zone: string): LocalDateTime {
  const local = DateTime.fromJSDate(instant, { zone });
  return {
    date: local.toISODate() as string,
    minutes: local.hour * 60 + local.minute,
    weekday: local.weekday,
  };
}

/** The instants [start, end) that make up one venue-local calendar day. */
export function venueDayRange(date: string, zone: string): { start: Date; end: Date } {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  return { start: start.toJSDate(), end: start.plus({ days: 1 }).toJSDate() };
}
