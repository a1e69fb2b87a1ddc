import { DateTime } from 'luxon';
import { ItemRow, ITEM_TYPES, ProgrammeHeader } from '@pavilion/programmes';
import { dayLabel, longDay, offsetLabel, span, time } from './format';
import { Locale, LOCALES } from '@pavilion/core';
import { SITE_PHRASES, SitePhrases } from './i18n';
import { ProgrammePageQueryDto } from './site.dto';

// View models of the pages: plain data for the templates, computed from the read rows without further queries.

const LANG_NAMES: Record<Locale, string> = { en: 'English', ru: 'Русский', kk: 'Қазақша' };
const SLOT_MINUTES = 5;

export interface PageFrame {
  lang: Locale;
  p: SitePhrases;
  path: string;
  langLinks: { lang: Locale; label: string; href: string; current: boolean }[];
  title: string;
}

/** What every page's layout needs: the language, its words and links to the same page in the other languages. */
export function frame(url: string, lang: Locale, title: string): PageFrame {
  const [path, search = ''] = url.split('?');
  return {
    lang,
    p: SITE_PHRASES[lang],
    path: url,
    title,
    langLinks: LOCALES.map((l) => {
      const params = new URLSearchParams(search);
      params.set('lang', l);
      return { lang: l, label: LANG_NAMES[l], href: `${path}?${params}`, current: l === lang };
    }),
  };
}

export function itemHref(header: ProgrammeHeader, itemId: string, lang: Locale): string {
  return `/programmes/${header.programme.id}/items/${itemId}?lang=${lang}`;
}

export function seatsText(row: ItemRow, p: SitePhrases): string {
  const { item } = row;
  if (!item.registrationRequired) return p.noRegistration;
  const left = Math.max(item.capacity - item.confirmedCount, 0);
  return left > 0 ? p.seatsLeft(left) : p.full(item.waitlistCount);
}

export function place(row: ItemRow, header: ProgrammeHeader): string {
  return [row.space?.name, header.pavilionName, header.venueName, header.city].filter(Boolean).join(', ');
}

/** The programme page: day tabs, filters (options from the whole day), the grid and the phone list. */
export function programmePage(
  header: ProgrammeHeader,
  days: string[],
  day: string,
  dayRows: ItemRow[],
  query: ProgrammePageQueryDto,
  lang: Locale,
  /** The signed-in person's starred items (null: nobody signed in, no stars shown). */
  starred: Set<string> | null = null,
) {
  const p = SITE_PHRASES[lang];
  const tz = header.timezone;
  const id = header.programme.id;
  const filterParams = (extra: Record<string, string>) => {
    const params = new URLSearchParams({ lang, ...extra });
    if (query.type) params.set('type', query.type);
    if (query.language) params.set('language', query.language);
    if (query.space) params.set('space', query.space);
    return params.toString();
  };
  const rows = dayRows.filter(
    (r) =>
      (!query.type || r.item.type === query.type) &&
      (!query.space || r.item.spaceId === query.space) &&
      (!query.language || r.item.languages.includes(query.language)),
  );
  const spaces = new Map<string, string>();
  for (const r of dayRows) if (r.space) spaces.set(r.space.id, r.space.name);
  const languages = new Set([...header.programme.languages, ...dayRows.flatMap((r) => r.item.languages)]);
  const items = rows.map((r) => ({
    id: r.item.id,
    href: itemHref(header, r.item.id, lang),
    title: r.item.title,
    time: `${time(r.item.startsAt as Date, lang, tz)}–${time(r.item.endsAt as Date, lang, tz)}`,
    space: r.space?.name ?? '',
    typeLabel: p.itemTypes[r.item.type] ?? r.item.type,
    languages: r.item.languages.join(', '),
    speakers: r.speakers.map((s) => s.name).join(', '),
    cancelled: r.item.status === 'cancelled',
    seats: r.item.status === 'scheduled' ? seatsText(r, p) : '',
    starred: starred ? starred.has(r.item.id) : null,
    starAction: `/programmes/${id}/items/${r.item.id}/favourite`,
  }));
  const page = `/programmes/${id}?${filterParams({ day })}`;
  return {
    back: page,
    ...frame(page, lang, header.programme.title),
    programme: header.programme,
    place: [header.pavilionName, header.venueName, header.city].join(', '),
    offset: offsetLabel(DateTime.fromISO(day, { zone: tz }).toJSDate(), tz),
    day,
    dayLong: longDay(day, lang),
    days: days.map((d) => ({
      label: dayLabel(d, lang),
      href: `/programmes/${id}?${filterParams({ day: d })}`,
      current: d === day,
    })),
    typeOptions: ITEM_TYPES.map((t) => ({ value: t, label: p.itemTypes[t], selected: t === query.type })),
    languageOptions: [...languages]
      .sort()
      .map((l) => ({ value: l, label: l, selected: l === query.language })),
    spaceOptions: [...spaces]
      .sort(([, a], [, b]) => a.localeCompare(b))
      .map(([value, label]) => ({ value, label, selected: value === query.space })),
    items,
    grid: grid(rows, tz, lang, header, day),
    atomUrl: `/programmes/${id}/changes.atom?lang=${lang}`,
  };
}

/** Spaces as columns, five-minute rows from the first hour to the last; each item spans its rows. */
function grid(rows: ItemRow[], tz: string, lang: Locale, header: ProgrammeHeader, day: string) {
  if (rows.length === 0) return { columns: [], hours: [], cells: [], rows: 0, startMs: 0 };
  const minutesOf = (d: Date) => {
    const local = DateTime.fromJSDate(d, { zone: tz });
    return local.hour * 60 + local.minute;
  };
  const first = Math.floor(Math.min(...rows.map((r) => minutesOf(r.item.startsAt as Date))) / 60) * 60;
  const lastEnd = Math.max(
    ...rows.map((r) => {
      const end = minutesOf(r.item.endsAt as Date);
      return end <= minutesOf(r.item.startsAt as Date) ? 24 * 60 : end; // ends after midnight
    }),
  );
  const last = Math.min(Math.ceil(lastEnd / 60) * 60, 24 * 60);
  const columns = [...new Map(rows.flatMap((r) => (r.space ? [[r.space.id, r.space]] : []))).values()].sort(
    (a, b) => a.name.localeCompare(b.name),
  );
  const col = new Map(columns.map((c, i) => [c.id, i + 2]));
  const row = (minutes: number) => 2 + Math.round((minutes - first) / SLOT_MINUTES);
  const hours = [];
  for (let m = first; m < last; m += 60)
    hours.push({ row: row(m), label: `${String(m / 60).padStart(2, '0')}:00` });
  const cells = rows.map((r) => {
    const start = minutesOf(r.item.startsAt as Date);
    let end = minutesOf(r.item.endsAt as Date);
    if (end <= start) end = last;
    return {
      href: itemHref(header, r.item.id, lang),
      title: r.item.title,
      time: time(r.item.startsAt as Date, lang, tz),
      col: col.get(r.space?.id ?? '') ?? 2,
      rowStart: row(start),
      rowEnd: Math.max(row(Math.min(end, last)), row(start) + 1),
      cancelled: r.item.status === 'cancelled',
    };
  });
  // The instant the first row starts: the page's script draws a now-line from it (progressive enhancement).
  const startMs = DateTime.fromISO(day, { zone: tz }).plus({ minutes: first }).toMillis();
  return { columns, hours, cells, rows: (last - first) / SLOT_MINUTES, startMs };
}

export function itemView(header: ProgrammeHeader, row: ItemRow, lang: Locale) {
  const p = SITE_PHRASES[lang];
  const tz = header.timezone;
  const { item } = row;
  const starts = item.startsAt as Date;
  return {
    id: item.id,
    title: item.title,
    description: item.description,
    startsIso: DateTime.fromJSDate(starts, { zone: tz }).toISO({ suppressMilliseconds: true }),
    when: span(starts, item.endsAt as Date, lang, tz),
    offset: offsetLabel(starts, tz),
    place: place(row, header),
    typeLabel: p.itemTypes[item.type] ?? item.type,
    speakers: row.speakers.map((s) => (s.affiliation ? `${s.name} (${s.affiliation})` : s.name)).join(', '),
    languages: item.languages.join(', '),
    seats: item.status === 'scheduled' ? seatsText(row, p) : '',
    cancelled: item.status === 'cancelled' ? p.cancelledBecause(item.cancelReason ?? '') : '',
  };
}

/** Per space: the item running now and the next one today. */
export function lobby(header: ProgrammeHeader, rows: ItemRow[], now: Date, lang: Locale) {
  const bySpace = new Map<string, { key: string; name: string; now?: LobbyEntry; next?: LobbyEntry }>();
  for (const r of rows) {
    if (!r.space) continue;
    const entry = bySpace.get(r.space.id) ?? { key: r.space.id.slice(0, 8), name: r.space.name };
    bySpace.set(r.space.id, entry);
    const shown = {
      title: r.item.title,
      href: itemHref(header, r.item.id, lang),
      time: `${time(r.item.startsAt as Date, lang, header.timezone)}–${time(r.item.endsAt as Date, lang, header.timezone)}`,
    };
    if ((r.item.startsAt as Date) <= now) entry.now ??= shown;
    else entry.next ??= shown;
  }
  return [...bySpace.values()].sort((a, b) => a.name.localeCompare(b.name));
}

interface LobbyEntry {
  title: string;
  href: string;
  time: string;
}
