import { DateTime } from 'luxon';
import { ChangeRow } from '@pavilion/programmes';
import { Locale } from '@pavilion/core';
import { SITE_PHRASES } from './i18n';

// Dates and times on the site: always the venue's zone, in the reader's language (Intl with full ICU).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: 'time' | 'day' | 'long', locale: Locale, timezone: string): Intl.DateTimeFormat {
  const key = `${kind}|${locale}|${timezone}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'time'
        ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : kind === 'day'
          ? { weekday: 'short', day: 'numeric', month: 'short' }
          : { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' };
    f = new Intl.DateTimeFormat(SITE_PHRASES[locale].intlLocale, { ...options, timeZone: timezone });
    formatters.set(key, f);
  }
  return f;
}

export function time(instant: Date, locale: Locale, timezone: string): string {
  return formatter('time', locale, timezone).format(instant);
}

/** A calendar date (YYYY-MM-DD, already venue-local) as a short tab label: "Tue 15 Aug". */
export function dayLabel(date: string, locale: Locale): string {
  return formatter('day', locale, 'UTC').format(new Date(`${date}T12:00:00Z`));
}

/** A day heading: "Tuesday, 15 August 2017"; the year and its abbreviation ("2017 г.") never part on a line break. */
export function longDay(date: string, locale: Locale): string {
  return formatter('long', locale, 'UTC')
    .format(new Date(`${date}T12:00:00Z`))
    .replace(/(\d) (\p{L}+\.)/gu, '$1\u00a0$2');
}

/** "UTC+06:00": the venue's offset at that instant (Astana was +06:00 in 2017). */
export function offsetLabel(instant: Date, timezone: string): string {
  return `UTC${DateTime.fromJSDate(instant, { zone: timezone }).toFormat('ZZ')}`;
}

export function localDate(instant: Date, timezone: string): string {
  return DateTime.fromJSDate(instant, { zone: timezone }).toISODate() as string;
}

/** "Tue 15 Aug, 10:00–11:30": the end's day is said only when it differs. */
export function span(start: Date, end: Date, locale: Locale, timezone: string): string {
  const startDay = localDate(start, timezone);
  const endDay = localDate(end, timezone);
  const head = `${dayLabel(startDay, locale)}, ${time(start, locale, timezone)}`;
  return startDay === endDay
    ? `${head}–${time(end, locale, timezone)}`
    : `${head} – ${dayLabel(endDay, locale)}, ${time(end, locale, timezone)}`;
}

const PLACE_FIELDS = new Set(['pavilion', 'venue', 'city', 'timezone']);

export interface ChangeText {
  title: string;
  detail: string;
}

/** One changelog row in the reader's language: what happened to which item, and what it was before. */
export function describeChange(change: ChangeRow, locale: Locale, timezone: string): ChangeText {
  const p = SITE_PHRASES[locale];
  const state = (change.after ?? change.before ?? {}) as Record<string, unknown>;
  const title = typeof state.title === 'string' ? p.quote(state.title) : '';
  const kind = p.changeKinds[change.kind] ?? change.kind;
  const where = (s: Record<string, unknown> | null) =>
    s && typeof s.startsAt === 'string' && typeof s.endsAt === 'string'
      ? `${span(new Date(s.startsAt), new Date(s.endsAt), locale, timezone)}, ${String(s.space ?? '')}`
      : '';
  let detail = '';
  if (change.kind === 'moved')
    detail = `${p.wasLabel}: ${where(change.before)}. ${p.nowLabel}: ${where(change.after)}.`;
  else if (change.kind === 'added' || change.kind === 'cancelled') detail = where(change.after);
  else if (change.kind === 'changed' || change.kind === 'programme_changed')
    detail = change.fields
      .map((f) => {
        const name = p.fieldNames[f] ?? f;
        // Renames of the place say what it was and what it is now.
        return PLACE_FIELDS.has(f)
          ? `${name}: ${String(change.before?.[f])} → ${String(change.after?.[f])}`
          : name;
      })
      .join(', ');
  return { title: title ? `${kind}: ${title}` : kind, detail };
}
