// Times as notices show them: always in the venue's zone (never the server's or the recipient's), via Intl
// with full ICU, so historical offsets are right (Astana was UTC+6 in 2017 and has been UTC+5 since March 2024).
// Shared by templates.ts and meeting-templates.ts.

import { Locale } from '@pavilion/core';
import { DurationUnit, PHRASES } from './notice-phrases';

export interface ItemPlace {
  startsAt: Date;
  endsAt: Date;
  spaceName: string;
}

// Intl formatters are comparatively expensive to build; there are few (locale, zone) pairs, so keep them.
const formatterCache = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: 'full' | 'time' | 'day', locale: Locale, timezone: string): Intl.DateTimeFormat {
  const key = `${kind}|${locale}|${timezone}`;
  let f = formatterCache.get(key);
  if (!f) {
    const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    const options: Intl.DateTimeFormatOptions =
      kind === 'time'
        ? time
        : kind === 'day'
          ? { year: 'numeric', month: '2-digit', day: '2-digit' }
          : { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', ...time };
    f = new Intl.DateTimeFormat(PHRASES[locale].intlLocale, { ...options, timeZone: timezone });
    formatterCache.set(key, f);
  }
  return f;
}

// A reminder to thousands of people formats the same few instants over and over: keep recent results.
const FORMATTED_LIMIT = 10_000;
const formatted = new Map<string, string>();

function remembered(key: string, format: () => string): string {
  let text = formatted.get(key);
  if (text === undefined) {
    if (formatted.size >= FORMATTED_LIMIT) formatted.clear();
    text = format();
    formatted.set(key, text);
  }
  return text;
}

/** Date and time in the venue's zone, in the recipient's language, e.g. en "Tue 15 Aug 2017, 15:00". */
export function formatWhen(date: Date, locale: Locale, timezone: string): string {
  return remembered(`when|${locale}|${timezone}|${date.getTime()}`, () => {
    const parts = formatter('full', locale, timezone).formatToParts(date);
    // en-GB puts a comma after the weekday ("Tue, 15 Aug"); house style is "Tue 15 Aug". ru and kk stay as ICU has them.
    return parts
      .map((part, i) =>
        locale === 'en' && part.type === 'literal' && parts[i - 1]?.type === 'weekday' ? ' ' : part.value,
      )
      .join('');
  });
}

/** "Tue 15 Aug 2017, 15:00–16:30"; the end gets its full date only when it falls on another day. */
export function formatRange(place: ItemPlace, locale: Locale, timezone: string): string {
  const { startsAt, endsAt } = place;
  return remembered(`range|${locale}|${timezone}|${startsAt.getTime()}|${endsAt.getTime()}`, () => {
    const day = formatter('day', locale, timezone);
    const start = formatWhen(startsAt, locale, timezone);
    return day.format(startsAt) === day.format(endsAt)
      ? `${start}–${formatter('time', locale, timezone).format(endsAt)}`
      : `${start} – ${formatWhen(endsAt, locale, timezone)}`;
  });
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at that instant, as letters say it: "UTC+6", "UTC+5:30", "UTC". */
export function zoneLabel(date: Date, timezone: string): string {
  let f = offsetFormatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'shortOffset' });
    offsetFormatters.set(timezone, f);
  }
  const offset = f.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return offset.replace(/^GMT/, 'UTC').replace(/^UTC[+-]0$/, 'UTC');
}

/** A time as letters show it, with its zone: "Tue 15 Aug 2017, 15:00–16:30 (UTC+6)". */
export function withZone(text: string, date: Date, timezone: string): string {
  return `${text} (${zoneLabel(date, timezone)})`;
}

/** Whole days if it divides evenly, else whole hours, else minutes: 1440 → 1 day, 60 → 1 hour, 90 → 90 minutes. */
function splitDuration(minutes: number): { n: number; unit: DurationUnit } {
  if (minutes >= 1440 && minutes % 1440 === 0) return { n: minutes / 1440, unit: 'day' };
  if (minutes >= 60 && minutes % 60 === 0) return { n: minutes / 60, unit: 'hour' };
  return { n: minutes, unit: 'minute' };
}

/** "in 1 hour" / "через 1 час" / "1 сағаттан кейін" for a positive whole number of minutes, else undefined. */
export function startsInPhrase(offsetMinutes: number | undefined, locale: Locale): string | undefined {
  if (offsetMinutes === undefined || !Number.isInteger(offsetMinutes) || offsetMinutes <= 0) return undefined;
  const { n, unit } = splitDuration(offsetMinutes);
  return PHRASES[locale].startsIn(n, unit);
}

/** Subjects are single header lines: no line breaks from user-supplied titles or space names. */
export function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
