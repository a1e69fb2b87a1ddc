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
  VenueResponseDto,
} from './dto/venue.dto';
import { OpeningHours, SpaceInVenue, Venue } from './venue.entities';
import { VenuesRepository } from './venues.repository';

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

  async getVenue(id: string): Promise<VenueResponseDto> {
    return mapVenue(await this.requireVenue(id));
  }

  async createPavilion(venueId: string, dto: CreatePavilionDto): Promise<PavilionResponseDto> {
    const venue = await this.requireVenue(venueId);
    const hours = toOpeningHourRows(dto);
    const { pavilion, hours: saved } = await this.repository.createPavilion(
      { venueId, name: dto.name },
      hours,
    );
    return mapPavilion(pavilion, venue, saved);
  }

  async getPavilion(id: string): Promise<PavilionResponseDto> {
    const pavilion = await this.repository.findPavilion(id);
    if (!pavilion) throw DomainError.notFound('Pavilion');
    const venue = await this.repository.findVenue(pavilion.venueId);
    return mapPavilion(pavilion, venue as Venue, await this.repository.openingHours(id));
  }

  async createSpace(pavilionId: string, dto: CreateSpaceDto): Promise<SpaceResponseDto> {
    if (!(await this.repository.findPavilion(pavilionId))) throw DomainError.notFound('Pavilion');
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
    if (!(await this.repository.findPavilion(pavilionId))) throw DomainError.notFound('Pavilion');
    return (await this.repository.listSpaces(pavilionId)).map(mapSpace);
  }

  /** For scheduling rules: the space, its pavilion, the venue (for the timezone) — or a 404. */
  async requireSpaceInVenue(spaceId: string): Promise<SpaceInVenue> {
    const found = await this.repository.findSpaceInVenue(spaceId);
    if (!found) throw DomainError.notFound('Space');
    return found;
  }

  async requirePavilionInVenue(pavilionId: string): Promise<{ venue: Venue; hours: OpeningHours[] }> {
    const pavilion = await this.repository.findPavilion(pavilionId);
    if (!pavilion) throw DomainError.notFound('Pavilion');
    const venue = (await this.repository.findVenue(pavilion.venueId)) as Venue;
    return { venue, hours: await this.repository.openingHours(pavilionId) };
  }

  private async requireVenue(id: string): Promise<Venue> {
    const venue = await this.repository.findVenue(id);
    if (!venue) throw DomainError.notFound('Venue');
    return venue;
  }
}

function toOpeningHourRows(dto: CreatePavilionDto): Omit<OpeningHours, 'id' | 'pavilionId'>[] {
  const errors: FieldError[] = [];
  const rows = dto.openingHours.map((h, i) => {
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
