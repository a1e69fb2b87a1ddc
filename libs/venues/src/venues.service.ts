import { Injectable } from '@nestjs/common';
import {
  decodeKeyset,
  DomainError,
  ErrorCode,
  FieldError,
  Page,
  parseWallClock,
  toPage,
} from '@pavilion/core';
import { PgSqlState, violates } from '@pavilion/database';
import {
  CreatePavilionDto,
  CreateSpaceDto,
  CreateVenueDto,
  mapPavilion,
  mapSpace,
  mapVenue,
  PavilionResponseDto,
  SpaceResponseDto,
  UpdatePavilionDto,
  UpdateSpaceDto,
  UpdateVenueDto,
  VenueResponseDto,
} from './dto/venue.dto';
import { OpeningHours, Pavilion, SpaceInVenue, Venue } from './venue.entities';
import { OpeningHoursRow, PlaceScope, UsageCheck, VenuesRepository } from './venues.repository';

@Injectable()
export class VenuesService {
  constructor(private readonly repository: VenuesRepository) {}

  async createVenue(dto: CreateVenueDto): Promise<VenueResponseDto> {
    return mapVenue(await this.repository.createVenue(dto));
  }

  async listVenues(limit: number, cursor?: string): Promise<Page<VenueResponseDto>> {
    const rows = await this.repository.listVenues(limit + 1, decodeKeyset(cursor, 'name'));
    return toPage(rows, limit, (v) => [v.name, v.id], mapVenue);
  }

  /** A venue; archived ones only when asked (history: an item's place). */
  async getVenue(id: string, withArchived = false): Promise<VenueResponseDto> {
    return mapVenue(await this.requireVenue(id, withArchived));
  }

  async createPavilion(venueId: string, dto: CreatePavilionDto): Promise<PavilionResponseDto> {
    const venue = await this.requireVenue(venueId);
    const hours = toOpeningHourRows(dto.openingHours);
    const { pavilion, hours: saved } = await this.repository.createPavilion(
      { venueId, name: dto.name },
      hours,
    );
    return mapPavilion(pavilion, venue, saved);
  }

  async getPavilion(id: string, withArchived = false): Promise<PavilionResponseDto> {
    const pavilion = await this.repository.findPavilion(id);
    if (!pavilion || (pavilion.archivedAt && !withArchived)) throw DomainError.notFound('Pavilion');
    const venue = await this.repository.findVenue(pavilion.venueId);
    return mapPavilion(pavilion, venue as Venue, await this.repository.openingHours(id));
  }

  async createSpace(pavilionId: string, dto: CreateSpaceDto): Promise<SpaceResponseDto> {
    await this.requireLivePavilion(pavilionId);
    if (dto.tables !== undefined && dto.kind !== 'b2b_zone')
      throw DomainError.invalid('tables', 'is only for spaces of kind b2b_zone');
    const tables = dto.kind === 'b2b_zone' ? (dto.tables ?? 1) : null;
    try {
      return mapSpace(await this.repository.createSpace({ pavilionId, ...dto, tables }));
    } catch (error) {
      if (violates(error, PgSqlState.UniqueViolation, 'spaces_pavilion_name_key')) {
        throw new DomainError(ErrorCode.Duplicate, `This pavilion already has a space named "${dto.name}"`);
      }
      throw error;
    }
  }

  async listSpaces(pavilionId: string): Promise<SpaceResponseDto[]> {
    await this.requireLivePavilion(pavilionId);
    return (await this.repository.listSpaces(pavilionId)).map(mapSpace);
  }

  /** For scheduling rules: the space, its pavilion, the venue (for the timezone) — or a 404. */
  async requireSpaceInVenue(spaceId: string): Promise<SpaceInVenue> {
    const found = await this.repository.findSpaceInVenue(spaceId);
    if (!found || found.space.archivedAt) throw DomainError.notFound('Space');
    return found;
  }

  /** A pavilion with its venue and hours, archived ones included (programmes keep theirs). */
  async requirePavilionInVenue(
    pavilionId: string,
  ): Promise<{ pavilion: Pavilion; venue: Venue; hours: OpeningHours[] }> {
    const pavilion = await this.repository.findPavilion(pavilionId);
    if (!pavilion) throw DomainError.notFound('Pavilion');
    const venue = (await this.repository.findVenue(pavilion.venueId)) as Venue;
    return { pavilion, venue, hours: await this.repository.openingHours(pavilionId) };
  }

  // Everyday management: what may change is decided by `check`, which the programmes lib supplies.

  async updateVenue(id: string, dto: UpdateVenueDto, check: UsageCheck): Promise<VenueResponseDto> {
    const current = await this.requireVenue(id);
    const moves = dto.timezone !== undefined && dto.timezone !== current.timezone;
    const saved = await this.repository.updateVenue(id, dto, moves ? check : undefined);
    if (!saved) throw DomainError.notFound('Venue');
    return mapVenue(saved);
  }

  /** New opening hours, validated as at creation, and in force for `check` inside the same transaction. */
  async updatePavilion(
    id: string,
    dto: Omit<UpdatePavilionDto, 'displace'>,
    check: (
      tx: Parameters<UsageCheck>[0],
      spaceIds: string[],
      venue: Venue,
      hours: OpeningHoursRow[],
    ) => Promise<void>,
  ): Promise<PavilionResponseDto> {
    const { venue } = await this.requirePavilionInVenue(id).then(async (found) => {
      if (found.pavilion.archivedAt) throw DomainError.notFound('Pavilion');
      return found;
    });
    const hours = dto.openingHours ? toOpeningHourRows(dto.openingHours) : undefined;
    const saved = await this.repository.updatePavilion(
      id,
      { name: dto.name, hours },
      hours ? (tx, spaceIds) => check(tx, spaceIds, venue, hours) : undefined,
    );
    if (!saved) throw DomainError.notFound('Pavilion');
    return mapPavilion(saved, venue, await this.repository.openingHours(id));
  }

  async updateSpace(id: string, dto: UpdateSpaceDto, check: UsageCheck): Promise<SpaceResponseDto> {
    await this.requireSpaceInVenue(id);
    try {
      const saved = await this.repository.updateSpace(id, dto, check);
      if (!saved) throw DomainError.notFound('Space');
      return mapSpace(saved);
    } catch (error) {
      if (violates(error, PgSqlState.UniqueViolation, 'spaces_pavilion_name_key')) {
        throw new DomainError(ErrorCode.Duplicate, `This pavilion already has a space named "${dto.name}"`);
      }
      throw error;
    }
  }

  /** Deletes (or, where history refers to it, archives) a venue, pavilion or space and what lies under it. */
  async remove(scope: PlaceScope, check: UsageCheck): Promise<void> {
    if (!(await this.repository.remove(scope, check)))
      throw DomainError.notFound('spaceId' in scope ? 'Space' : 'pavilionId' in scope ? 'Pavilion' : 'Venue');
  }

  private async requireLivePavilion(id: string): Promise<Pavilion> {
    const pavilion = await this.repository.findPavilion(id);
    if (!pavilion || pavilion.archivedAt) throw DomainError.notFound('Pavilion');
    return pavilion;
  }

  private async requireVenue(id: string, withArchived = false): Promise<Venue> {
    const venue = await this.repository.findVenue(id);
    if (!venue || (venue.archivedAt && !withArchived)) throw DomainError.notFound('Venue');
    return venue;
  }
}

function toOpeningHourRows(openingHours: CreatePavilionDto['openingHours']): OpeningHoursRow[] {
  const errors: FieldError[] = [];
  const rows = openingHours.map((h, i) => {
    const field = `openingHours[${i}]`;
    if ((h.date === undefined) === (h.weekday === undefined)) {
      errors.push({ field, message: 'give exactly one of date or weekday' });
    }
    const opens = parseWallClock(h.opens) as number;
    const closes = parseWallClock(h.closes) as number;
    if (closes <= opens)
      errors.push({ field: `${field}.closes`, message: 'closes must be later than opens' });
    return { weekday: h.weekday ?? null, onDate: h.date ?? null, opensMinute: opens, closesMinute: closes };
  });
  if (errors.length > 0)
    throw new DomainError(ErrorCode.ValidationFailed, 'Opening hours are invalid', { errors });
  return rows;
}
