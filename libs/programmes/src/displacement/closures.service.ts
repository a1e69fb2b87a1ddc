import { Injectable } from '@nestjs/common';
import { DomainError, formatVenueInstant, parseVenueInstant } from '@pavilion/core';
import { VenuesService } from '@pavilion/venues';
import { ClosureResponseDto, CreateClosureDto, CreatedClosureResponseDto } from '../dto/closure.dto';
import { ClosureRow, DisplacementRepository } from './displacement.repository';

/**
 * Space closures (API.md): a space closed for a time takes no new bookings then, and the items already there
 * read displaced until they are moved (by hand, or by a scheduling run with scope `all`).
 */
@Injectable()
export class ClosuresService {
  constructor(
    private readonly repository: DisplacementRepository,
    private readonly venues: VenuesService,
  ) {}

  async create(spaceId: string, dto: CreateClosureDto): Promise<CreatedClosureResponseDto> {
    const { space, venue } = await this.venues.requireSpaceInVenue(spaceId);
    const zone = venue.timezone;
    const from = parseVenueInstant(dto.from, zone, 'from');
    const to = parseVenueInstant(dto.to, zone, 'to');
    if (to.getTime() <= from.getTime()) throw DomainError.invalid('to', 'must be later than from');
    const reason = dto.reason.trim();
    const { closure, displaced } = await this.repository.closeSpace(
      spaceId,
      from,
      to,
      reason,
      () =>
        `${space.name} is closed ${formatVenueInstant(from, zone)} – ${formatVenueInstant(to, zone)}: ${reason}`,
    );
    return { ...mapClosure(closure, zone), displacedItemIds: displaced };
  }

  async list(spaceId: string): Promise<ClosureResponseDto[]> {
    const { venue } = await this.venues.requireSpaceInVenue(spaceId);
    return (await this.repository.listClosures(spaceId)).map((c) => mapClosure(c, venue.timezone));
  }

  async delete(closureId: string): Promise<void> {
    if (!(await this.repository.deleteClosure(closureId))) throw DomainError.notFound('Closure');
  }
}

function mapClosure(c: ClosureRow, zone: string): ClosureResponseDto {
  return {
    id: c.id,
    spaceId: c.space_id,
    from: formatVenueInstant(c.starts_at, zone),
    to: formatVenueInstant(c.ends_at, zone),
    reason: c.reason,
    createdAt: formatVenueInstant(c.created_at, zone),
  };
}
