import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { formatVenueInstant } from '@pavilion/core';
import { ItemRow, ProgrammeHeader } from './programme-reads.repository';

// The frab schedule format that pretalx exports and conference apps (Giggity, EventFahrplan, c3voc) read.

export interface FrabPerson {
  id: number;
  guid: string;
  name: string;
  public_name: string;
}

export interface FrabEvent {
  id: number;
  guid: string;
  date: string;
  start: string;
  duration: string;
  room: string;
  slug: string;
  url: string;
  title: string;
  subtitle: string;
  track: string;
  type: string;
  language: string;
  abstract: string;
  description: string;
  persons: FrabPerson[];
  links: never[];
  attachments: never[];
}

export interface FrabDay {
  index: number;
  date: string;
  day_start: string;
  day_end: string;
  rooms: Record<string, FrabEvent[]>;
}

export interface FrabSchedule {
  schedule: {
    version: string;
    base_url: string;
    url: string;
    conference: {
      acronym: string;
      title: string;
      start: string;
      end: string;
      daysCount: number;
      timeslot_duration: string;
      time_zone_name: string;
      url: string;
      rooms: { name: string; guid: string }[];
      days: FrabDay[];
    };
  };
}

export interface FrabInput {
  header: ProgrammeHeader;
  /** Placed, not cancelled items, in start order. */
  rows: ItemRow[];
  /** The public site's root, e.g. https://pavilion.example (no trailing slash). */
  publicUrl: string;
  /** Type codes to the words shown as `track`. */
  trackOf: (type: string) => string;
}

/**
 * The schedule as frab describes it. `version` is a digest of everything exported, so it moves with any exported
 * change (a title edit too) and with nothing else (seat counts are not exported).
 */
export function frabSchedule({ header, rows, publicUrl, trackOf }: FrabInput): FrabSchedule {
  const { programme, timezone } = header;
  const acronym = slugify(programme.title).slice(0, 40) || 'pavilion';
  const programmeUrl = `${publicUrl}/programmes/${programme.id}`;
  const rooms = new Map<string, string>();
  const days: FrabDay[] = [];
  let date = DateTime.fromISO(programme.startsOn, { zone: timezone });
  const last = DateTime.fromISO(programme.endsOn, { zone: timezone });
  for (let index = 1; date <= last; index += 1, date = date.plus({ days: 1 })) {
    days.push({
      index,
      date: date.toISODate() as string,
      day_start: date.toISO({ suppressMilliseconds: true }) as string,
      day_end: date.plus({ days: 1 }).toISO({ suppressMilliseconds: true }) as string,
      rooms: {},
    });
  }
  const dayOf = new Map(days.map((d) => [d.date, d]));
  for (const { item, space, speakers, publicNumber } of rows) {
    if (item.status !== 'scheduled' || !item.startsAt || !item.endsAt || !space) continue;
    const starts = DateTime.fromJSDate(item.startsAt, { zone: timezone });
    const day = dayOf.get(starts.toISODate() as string);
    if (!day) continue;
    rooms.set(space.name, space.id);
    const minutes = Math.round((item.endsAt.getTime() - item.startsAt.getTime()) / 60_000);
    const event: FrabEvent = {
      id: publicNumber,
      guid: item.id,
      date: formatVenueInstant(item.startsAt, timezone),
      start: starts.toFormat('HH:mm'),
      duration: `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`,
      room: space.name,
      slug: `${acronym}-${publicNumber}-${slugify(item.title).slice(0, 60)}`.replace(/-+$/, ''),
      url: `${programmeUrl}/items/${item.id}`,
      title: item.title,
      subtitle: '',
      track: trackOf(item.type),
      type: item.type,
      language: item.languages[0] ?? programme.languages[0] ?? '',
      abstract: item.description ?? '',
      description: item.description ?? '',
      persons: speakers.map((s) => ({ id: s.publicNumber, guid: s.id, name: s.name, public_name: s.name })),
      links: [],
      attachments: [],
    };
    (day.rooms[space.name] ??= []).push(event);
  }
  const conference = {
    acronym,
    title: programme.title,
    start: programme.startsOn,
    end: programme.endsOn,
    daysCount: days.length,
    timeslot_duration: '00:05',
    time_zone_name: timezone,
    url: programmeUrl,
    rooms: [...rooms].sort(([a], [b]) => a.localeCompare(b)).map(([name, guid]) => ({ name, guid })),
    days,
  };
  const version = createHash('sha256').update(JSON.stringify(conference)).digest('hex').slice(0, 16);
  return { schedule: { version, base_url: `${publicUrl}/`, url: programmeUrl, conference } };
}

/** The same schedule as frab's schedule.xml. */
export function frabScheduleXml({ schedule }: FrabSchedule): string {
  const c = schedule.conference;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<schedule>'];
  out.push(`  <version>${esc(schedule.version)}</version>`);
  out.push('  <conference>');
  out.push(`    <acronym>${esc(c.acronym)}</acronym>`);
  out.push(`    <title>${esc(c.title)}</title>`);
  out.push(`    <start>${c.start}</start>`);
  out.push(`    <end>${c.end}</end>`);
  out.push(`    <days>${c.daysCount}</days>`);
  out.push(`    <timeslot_duration>${c.timeslot_duration}</timeslot_duration>`);
  out.push(`    <base_url>${esc(schedule.base_url)}</base_url>`);
  out.push(`    <time_zone_name>${esc(c.time_zone_name)}</time_zone_name>`);
  out.push('  </conference>');
  for (const day of c.days) {
    out.push(`  <day index="${day.index}" date="${day.date}" start="${day.day_start}" end="${day.day_end}">`);
    for (const [room, events] of Object.entries(day.rooms)) {
      const guid = c.rooms.find((r) => r.name === room)?.guid ?? '';
      out.push(`    <room name="${esc(room)}" guid="${guid}">`);
      for (const e of events) {
        out.push(`      <event id="${e.id}" guid="${e.guid}">`);
        for (const field of [
          'date',
          'start',
          'duration',
          'room',
          'slug',
          'url',
          'title',
          'subtitle',
          'track',
          'type',
          'language',
          'abstract',
          'description',
        ] as const)
          out.push(`        <${field}>${esc(String(e[field]))}</${field}>`);
        out.push('        <persons>');
        for (const p of e.persons)
          out.push(`          <person id="${p.id}" guid="${p.guid}">${esc(p.public_name)}</person>`);
        out.push('        </persons>');
        out.push('        <links/>');
        out.push('        <attachments/>');
        out.push('      </event>');
      }
      out.push('    </room>');
    }
    out.push('  </day>');
  }
  out.push('</schedule>');
  return `${out.join('\n')}\n`;
}

function esc(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped; the five special ones escaped.
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (ch) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[ch]};`);
}

/** Lower-case ASCII words joined by hyphens; Cyrillic is transliterated so Russian and Kazakh titles stay readable. */
export function slugify(text: string): string {
  const latin = [...text.toLowerCase()].map((ch) => CYRILLIC[ch] ?? ch).join('');
  return latin
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const CYRILLIC: Record<string, string> = Object.fromEntries(
  (
    'а:a б:b в:v г:g д:d е:e ё:e ж:zh з:z и:i й:i к:k л:l м:m н:n о:o п:p р:r с:s т:t у:u ф:f х:kh ц:ts ч:ch ' +
    'ш:sh щ:shch ъ: ы:y ь: э:e ю:iu я:ia ә:a ғ:g қ:q ң:n ө:o ұ:u ү:u һ:h і:i'
  )
    .split(' ')
    .map((pair) => pair.split(':') as [string, string]),
);

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
