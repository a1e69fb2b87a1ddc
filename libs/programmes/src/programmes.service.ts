import { Injectable } from '@nestjs/common';
import {
  Actor,
  actsFor,
  decodeKeyset,
  definedOnly,
  DomainError,
  ErrorCode,
  formatVenueInstant,
  Page,
  toPage,
  venueDayRange,
} from '@pavilion/core';
import { PgSqlState, violates } from '@pavilion/database';
import { VenuesService } from '@pavilion/venues';
import {
  CreateProgrammeDto,
  mapProgramme,
  ProgrammeListQueryDto,
  ProgrammeResponseDto,
  UpdateProgrammeDto,
} from './dto/programme.dto';
import { Programme } from './programme.entities';
import { ProgrammesRepository } from './programmes.repository';
import { ProgrammeHeader, ProgrammeReadsRepository } from './reads/programme-reads.repository';

export const DEFAULT_REMINDER_OFFSETS = [1440, 60];

@Injectable()
export class ProgrammesService {
  constructor(
    private readonly repository: ProgrammesRepository,
    private readonly venues: VenuesService,
    private readonly reads: ProgrammeReadsRepository,
  ) {}

  async create(dto: CreateProgrammeDto): Promise<ProgrammeResponseDto> {
    checkDates(dto.startsOn, dto.endsOn);
    const { venue, pavilion } = await this.venues.requirePavilionInVenue(dto.pavilionId);
    if (pavilion.archivedAt) throw DomainError.notFound('Pavilion');
    try {
      const saved = await this.repository.createProgramme({
        organizationId: dto.organizationId,
        pavilionId: dto.pavilionId,
        title: dto.title,
        description: dto.description ?? null,
        startsOn: dto.startsOn,
        endsOn: dto.endsOn,
        languages: dto.languages ?? [],
        reminderOffsetsMinutes: dto.reminderOffsetsMinutes ?? DEFAULT_REMINDER_OFFSETS,
      });
      return mapProgramme(saved, venue.timezone);
    } catch (error) {
      if (violates(error, PgSqlState.ForeignKeyViolation)) throw DomainError.notFound('Organization');
      throw error;
    }
  }

  async update(id: string, dto: UpdateProgrammeDto): Promise<ProgrammeResponseDto> {
    const current = await this.requireProgramme(id);
    const { venue } = await this.venues.requirePavilionInVenue(current.pavilionId);
    const saved = await this.repository.updateProgramme(id, async (locked) => {
      const change = definedOnly(dto);
      const startsOn = dto.startsOn ?? locked.startsOn;
      const endsOn = dto.endsOn ?? locked.endsOn;
      checkDates(startsOn, endsOn);
      if (startsOn === locked.startsOn && endsOn === locked.endsOn) return change;
      const from = venueDayRange(startsOn, venue.timezone).start;
      const to = venueDayRange(endsOn, venue.timezone).end;
      const outside = await this.repository.itemsOutside(id, from, to);
      if (outside.length > 0) {
        throw DomainError.conflicting(
          'Some items would fall outside the new programme dates',
          outside.map((i) => ({
            itemId: i.id,
            title: i.title,
            startsAt: formatVenueInstant(i.startsAt as Date, venue.timezone),
            endsAt: formatVenueInstant(i.endsAt as Date, venue.timezone),
            reason: 'lies outside the new dates; move or cancel it first',
          })),
        );
      }
      return change;
    });
    return mapProgramme(saved, venue.timezone);
  }

  async publish(id: string): Promise<ProgrammeResponseDto> {
    const current = await this.requireProgramme(id);
    const { venue } = await this.venues.requirePavilionInVenue(current.pavilionId);
    const saved = await this.repository.updateProgramme(id, async (locked) => {
      if (locked.status === 'published') {
        throw new DomainError(ErrorCode.StateConflict, 'The programme is already published');
      }
      return { status: 'published', publishedAt: new Date() };
    });
    return mapProgramme(saved, venue.timezone);
  }

  /** Back to draft: public reads 404 again, and the registrants of its items are told (an outbox event each). */
  async unpublish(id: string): Promise<ProgrammeResponseDto> {
    const current = await this.requireProgramme(id);
    const { venue } = await this.venues.requirePavilionInVenue(current.pavilionId);
    const saved = await this.repository.unpublish(id, (locked) => {
      if (locked.status !== 'published')
        throw new DomainError(ErrorCode.StateConflict, 'The programme is not published');
    });
    return mapProgramme(saved, venue.timezone);
  }

  /** Drafts without registrations go (204); anything published or registered for stays (409). */
  async deleteDraft(id: string): Promise<void> {
    const outcome = await this.repository.deleteDraft(id, (locked, registrations) => {
      if (locked.status !== 'draft')
        throw new DomainError(
          ErrorCode.StateConflict,
          'Only drafts can be deleted; unpublish the programme first',
        );
      if (registrations > 0)
        throw new DomainError(
          ErrorCode.StateConflict,
          `The programme's items hold ${registrations} registrations; cancel the items first`,
        );
    });
    if (outcome === 'gone') throw DomainError.notFound('Programme');
    if (outcome === 'kept')
      throw new DomainError(
        ErrorCode.StateConflict,
        'People registered for or were told about its items once; the programme stays as a draft',
      );
  }

  async get(id: string, actor: Actor | null): Promise<ProgrammeResponseDto> {
    const programme = await this.requireVisible(id, actor);
    const { venue } = await this.venues.requirePavilionInVenue(programme.pavilionId);
    return mapProgramme(programme, venue.timezone);
  }

  async list(query: ProgrammeListQueryDto, actor: Actor | null): Promise<Page<ProgrammeResponseDto>> {
    const rows = await this.repository.listProgrammes(
      actor,
      query.limit + 1,
      query.organizationId,
      decodeKeyset(query.cursor, 'startsOn'),
    );
    const zones = new Map<string, string>();
    for (const pavilionId of new Set(rows.map((r) => r.pavilionId))) {
      zones.set(pavilionId, (await this.venues.requirePavilionInVenue(pavilionId)).venue.timezone);
    }
    return toPage(
      rows,
      query.limit,
      (p) => [p.startsOn, p.id],
      (p) => mapProgramme(p, zones.get(p.pavilionId) as string),
    );
  }

  hasAny(): Promise<boolean> {
    return this.repository.hasAnyProgramme();
  }

  /** The programme if this caller may see it; drafts of others are reported as missing so they do not leak. */
  async requireVisible(id: string, actor: Actor | null): Promise<Programme> {
    const programme = await this.repository.findProgramme(id);
    if (!programme || (programme.status !== 'published' && !actsFor(actor, programme.organizationId))) {
      throw DomainError.notFound('Programme');
    }
    return programme;
  }

  /** The programme with its place and fingerprint (one statement), if this caller may see it. */
  async requireVisibleHeader(id: string, actor: Actor | null): Promise<ProgrammeHeader> {
    const header = await this.reads.keptHeader(id);
    if (
      !header ||
      (header.programme.status !== 'published' && !actsFor(actor, header.programme.organizationId))
    )
      throw DomainError.notFound('Programme');
    return header;
  }

  async requireHeader(id: string): Promise<ProgrammeHeader> {
    const header = await this.reads.header(id);
    if (!header) throw DomainError.notFound('Programme');
    return header;
  }

  async requireProgramme(id: string): Promise<Programme> {
    const programme = await this.repository.findProgramme(id);
    if (!programme) throw DomainError.notFound('Programme');
    return programme;
  }
}

function checkDates(startsOn: string, endsOn: string): void {
  if (endsOn < startsOn) throw DomainError.invalid('endsOn', 'must not be before startsOn');
}
