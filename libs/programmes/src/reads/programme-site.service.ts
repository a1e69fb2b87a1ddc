import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { COMMON_PHRASES, DomainError, venueDayRange } from '@pavilion/core';
import { ItemType } from '../programme.entities';
import { FrabSchedule, frabSchedule } from './frab-schedule';
import { ChangeRow, ProgrammeChangelogRepository } from './programme-changelog.repository';
import { ItemRow, ProgrammeHeader, ProgrammeReadsRepository } from './programme-reads.repository';
import { PublicFreshness } from './public-freshness';

export interface DayFilter {
  type?: ItemType;
  spaceId?: string;
  language?: string;
}

/** A programme as the public sees it: published only, read in a constant number of statements. */
@Injectable()
export class ProgrammeSiteService {
  private readonly daysOf = new WeakMap<ProgrammeHeader, string[]>();

  constructor(
    private readonly reads: ProgrammeReadsRepository,
    private readonly changelog: ProgrammeChangelogRepository,
    private readonly freshness: PublicFreshness,
  ) {}

  /**
   * Taken before reading: while it stays the same, no header read since has changed (see PublicFreshness); null
   * when this process cannot tell.
   */
  freshnessStamp(): number | null {
    return this.freshness.stamp();
  }

  /** The published programme with its place and fingerprint; drafts and unknown ids are 404. */
  async published(programmeId: string): Promise<ProgrammeHeader> {
    const header = await this.reads.keptHeader(programmeId);
    if (!header || header.programme.status !== 'published') throw DomainError.notFound('Programme');
    return header;
  }

  programmesFingerprint(): Promise<string> {
    return this.reads.programmesFingerprint();
  }

  /** Published programmes, upcoming first; `today` is a calendar date (programmes span several zones). */
  publishedProgrammes(today: string, limit = 100): Promise<ProgrammeHeader[]> {
    return this.reads.publishedProgrammes(today, limit);
  }

  /** The programme's venue-local days, first to last (worked out once per kept header). */
  days(header: ProgrammeHeader): string[] {
    let days = this.daysOf.get(header);
    if (days) return days;
    days = [];
    const last = DateTime.fromISO(header.programme.endsOn);
    for (let d = DateTime.fromISO(header.programme.startsOn); d <= last; d = d.plus({ days: 1 }))
      days.push(d.toISODate() as string);
    this.daysOf.set(header, days);
    return days;
  }

  /** The first programme day that is today or later at the venue, else the first day. */
  defaultDay(header: ProgrammeHeader, now = new Date()): string {
    const today = venueToday(header.timezone, now);
    const days = this.days(header);
    return days.find((d) => d >= today) ?? days[0];
  }

  dayItems(header: ProgrammeHeader, day: string, filter: DayFilter = {}): Promise<ItemRow[]> {
    const range = venueDayRange(day, header.timezone);
    return this.reads.items({
      programmeId: header.programme.id,
      from: range.start,
      to: range.end,
      ...filter,
    });
  }

  /** Items running at `now` or starting within the rest of the venue-local day. */
  async nowAndNext(header: ProgrammeHeader, now = new Date()): Promise<ItemRow[]> {
    const today = DateTime.fromJSDate(now, { zone: header.timezone }).toISODate() as string;
    const rows = await this.dayItems(header, today);
    return rows.filter((r) => r.item.status === 'scheduled' && (r.item.endsAt as Date) > now);
  }

  async item(header: ProgrammeHeader, itemId: string): Promise<ItemRow> {
    const [row] = await this.reads.items({ programmeId: header.programme.id, itemIds: [itemId] });
    if (!row) throw DomainError.notFound('Item');
    return row;
  }

  /** Items of published programmes among `itemIds` (others are left out), by programme, in time order. */
  async publishedItems(itemIds: string[]): Promise<{ header: ProgrammeHeader; rows: ItemRow[] }[]> {
    if (itemIds.length === 0) return [];
    const rows = await this.reads.items({ itemIds });
    const groups = new Map<string, ItemRow[]>();
    for (const row of rows)
      groups.set(row.item.programmeId, [...(groups.get(row.item.programmeId) ?? []), row]);
    const headers = await Promise.all([...groups.keys()].map((id) => this.reads.keptHeader(id)));
    return headers.flatMap((header) =>
      header && header.programme.status === 'published'
        ? [{ header, rows: groups.get(header.programme.id) as ItemRow[] }]
        : [],
    );
  }

  async schedule(header: ProgrammeHeader, publicUrl: string): Promise<FrabSchedule> {
    const rows = await this.reads.items({ programmeId: header.programme.id, withCancelled: false });
    return frabSchedule({
      header,
      rows,
      publicUrl,
      trackOf: (type) => COMMON_PHRASES.en.itemTypes[type] ?? type,
    });
  }

  changes(header: ProgrammeHeader, limit = 100): Promise<ChangeRow[]> {
    return this.changelog.changes(header.programme.id, limit);
  }
}

const todayByZone = new Map<string, { until: number; date: string }>();

/** The venue-local date now, worked out at most once a minute per zone (dates change on the minute). */
function venueToday(timezone: string, now: Date): string {
  const at = now.getTime();
  const known = todayByZone.get(timezone);
  if (known && at < known.until && at >= known.until - 60_000) return known.date;
  const date = DateTime.fromJSDate(now, { zone: timezone }).toISODate() as string;
  todayByZone.set(timezone, { until: Math.floor(at / 60_000) * 60_000 + 60_000, date });
  return date;
}
