import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, FieldError, parseVenueInstant } from '@pavilion/core';
import { PgSqlState, violates } from '@pavilion/database';
import { SpaceResponseDto, VenuesService } from '@pavilion/venues';
import { Programme } from '../programme.entities';
import { ItemWrite, ItemWritesRepository } from '../items/item-writes.repository';
import { ProgrammesService } from '../programmes.service';
import { checkItemSchedule } from '../scheduling-rules';
import { SpeakersRepository } from '../speakers.repository';
import { cell, ImportRow, parseImportFile, refusal } from './csv-rows';

/** A row ready to be written: its item and speakers, and where it came from. */
interface PlannedItem {
  line: number;
  item: ItemWrite;
  speakerIds: string[];
}

export interface ImportResult {
  created: number;
  /** With dryRun: the rows that would be created; nothing is written. */
  checked: number;
  dryRun: boolean;
}

/**
 * Bulk import of a programme's items from CSV (API.md): every row is checked against the rules of creation
 * (place, time, opening hours, capacity, overlaps with the programme and within the file) and every fault named
 * by line and column; then all rows are written in one transaction, or none.
 */
@Injectable()
export class ItemsImportService {
  constructor(
    private readonly items: ItemWritesRepository,
    private readonly speakers: SpeakersRepository,
    private readonly programmes: ProgrammesService,
    private readonly venues: VenuesService,
  ) {}

  async import(programmeId: string, text: string, dryRun: boolean): Promise<ImportResult> {
    const programme = await this.programmes.requireProgramme(programmeId);
    const rows = parseImportFile(text);
    const planned = await this.plan(programme, rows);
    if (dryRun) return { created: 0, checked: planned.length, dryRun };
    try {
      await this.items.insertItems(planned);
    } catch (error) {
      if (
        violates(error, PgSqlState.ExclusionViolation) ||
        violates(error, PgSqlState.ForeignKeyViolation) ||
        violates(error, PgSqlState.CheckViolation, 'programme_items_within_opening_hours')
      )
        throw new DomainError(
          ErrorCode.StateConflict,
          'The programme, its spaces, speakers or opening hours changed while the file was imported; nothing was imported, try again',
        );
      throw error;
    }
    return { created: planned.length, checked: planned.length, dryRun };
  }

  private async plan(programme: Programme, rows: ImportRow[]): Promise<PlannedItem[]> {
    const { venue, hours } = await this.venues.requirePavilionInVenue(programme.pavilionId);
    const zone = venue.timezone;
    const spaces = new Map(
      (await this.venues.listSpaces(programme.pavilionId)).map((s) => [s.name.toLowerCase(), s]),
    );
    const speakers = await this.speakerLookup(rows);
    const errors: FieldError[] = [];
    const planned: PlannedItem[] = [];
    for (const row of rows) {
      const fail = (column: string, message: string) =>
        errors.push({ field: cell(row.line, column), message });
      const space = spaces.get(row.space.toLowerCase());
      if (!space) fail('space', `no space of the programme's pavilion is named "${row.space}"`);
      const speakerIds: string[] = [];
      for (const key of row.speakers) {
        const found = speakers.get(key.toLowerCase()) ?? [];
        if (found.length === 1) speakerIds.push(found[0]);
        else
          fail(
            'speakers',
            found.length
              ? `"${key}" names several speakers; use their email`
              : `no speaker is named "${key}" or has that email`,
          );
      }
      const at = (column: 'startsAt' | 'endsAt') => {
        try {
          return parseVenueInstant(row[column], zone, column);
        } catch (error) {
          fail(column, error instanceof DomainError ? error.message : 'is not a time');
          return null;
        }
      };
      const startsAt = at('startsAt');
      const endsAt = at('endsAt');
      if (!space || !startsAt || !endsAt) continue;
      const capacity = row.capacity ?? space.capacity;
      try {
        checkItemSchedule(
          { startsAt, endsAt, capacity, registrationOpensAt: null, registrationClosesAt: null },
          { timezone: zone, programme, openingHours: hours, space },
        );
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        for (const e of error.details.errors ?? [{ field: 'startsAt', message: error.message }])
          fail(e.field, e.message);
        continue;
      }
      planned.push({
        line: row.line,
        item: this.itemOf(programme, row, space, startsAt, endsAt, capacity),
        speakerIds,
      });
    }
    if (errors.length === 0) errors.push(...(await this.overlaps(planned)));
    if (errors.length) throw refusal(errors);
    return planned;
  }

  private itemOf(
    programme: Programme,
    row: ImportRow,
    space: SpaceResponseDto,
    startsAt: Date,
    endsAt: Date,
    capacity: number,
  ): ItemWrite {
    const session = row.type === 'b2b_meetings' && space.kind === 'b2b_zone';
    return {
      programmeId: programme.id,
      spaceId: space.id,
      type: row.type,
      title: row.title,
      description: row.description,
      languages: row.languages,
      registrationRequired: row.registrationRequired,
      startsAt,
      endsAt,
      capacity,
      capacityFromSpace: false,
      durationMinutes: null,
      placement: {},
      meetingMinutes: session ? 20 : null,
      requestsPerParticipant: 20,
      requestsCloseAt: null,
      registrationOpensAt: null,
      registrationClosesAt: null,
    };
  }

  /** Speakers by lower-cased name and email; a key naming several is ambiguous. */
  private async speakerLookup(rows: ImportRow[]): Promise<Map<string, string[]>> {
    const keys = [...new Set(rows.flatMap((r) => r.speakers.map((s) => s.toLowerCase())))];
    const byKey = new Map<string, string[]>();
    for (const s of await this.speakers.liveSpeakersByNameOrEmail(keys))
      for (const key of [s.name.toLowerCase(), s.email?.toLowerCase()])
        if (key && keys.includes(key)) byKey.set(key, [...(byKey.get(key) ?? []), s.id]);
    return byKey;
  }

  /** Rows in the way of each other (same space or speaker at once), or of what the programmes already hold. */
  private async overlaps(planned: PlannedItem[]): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    const overlap = (a: ItemWrite, b: ItemWrite) =>
      (a.startsAt as Date) < (b.endsAt as Date) && (b.startsAt as Date) < (a.endsAt as Date);
    planned.forEach((p, i) => {
      for (const q of planned.slice(0, i)) {
        if (!overlap(p.item, q.item)) continue;
        if (p.item.spaceId === q.item.spaceId)
          errors.push({ field: cell(p.line, 'space'), message: `is booked then by line ${q.line}` });
        else if (p.speakerIds.some((s) => q.speakerIds.includes(s)))
          errors.push({ field: cell(p.line, 'speakers'), message: `a speaker is in line ${q.line} then` });
      }
    });
    for (const p of planned) {
      const rows = await this.items.findConflicts({
        spaceId: p.item.spaceId as string,
        speakerIds: p.speakerIds,
        startsAt: p.item.startsAt as Date,
        endsAt: p.item.endsAt as Date,
      });
      for (const r of rows)
        errors.push({
          field: cell(p.line, r.kind === 'speaker' ? 'speakers' : 'space'),
          message:
            r.kind === 'closure'
              ? `${r.what} is closed then (${r.title})`
              : `"${r.title}" ${r.kind === 'space' ? `holds ${r.what}` : `has speaker ${r.what}`} then`,
        });
    }
    return errors;
  }
}
