import { Injectable } from '@nestjs/common';
import { DomainError } from '@pavilion/core';
import {
  SpaceResponseDto,
  UpdatedPavilionResponseDto,
  UpdatePavilionDto,
  UpdateSpaceDto,
  UpdateVenueDto,
  VenueResponseDto,
  VenuesService,
} from '@pavilion/venues';
import {
  applyOpeningHours,
  clearSpacesForRemoval,
  futureItemsIn,
  itemsInTheWay,
  refuseFutureItems,
} from './place-usage';

/**
 * Editing and deleting venues, pavilions and spaces (API.md, Everyday management) with the rules of creation:
 * the venues lib writes, and this lib, which knows the items, says inside the same transaction what may change.
 */
@Injectable()
export class PlacesService {
  constructor(private readonly venues: VenuesService) {}

  updateVenue(id: string, dto: UpdateVenueDto): Promise<VenueResponseDto> {
    return this.venues.updateVenue(id, dto, (tx, spaceIds) =>
      refuseFutureItems(tx, spaceIds, 'A venue whose timezone changes'),
    );
  }

  async updatePavilion(id: string, dto: UpdatePavilionDto): Promise<UpdatedPavilionResponseDto> {
    const { displace, ...change } = dto;
    let displacedItemIds: string[] = [];
    const saved = await this.venues.updatePavilion(id, change, async (tx, spaceIds, venue, hours) => {
      displacedItemIds = await applyOpeningHours(tx, spaceIds, venue.timezone, hours, displace === true);
    });
    return { ...saved, displacedItemIds };
  }

  updateSpace(id: string, dto: UpdateSpaceDto): Promise<SpaceResponseDto> {
    return this.venues.updateSpace(id, dto, async (tx, spaceIds) => {
      if (dto.capacity === undefined) return;
      const bigger = await futureItemsIn(tx, spaceIds, dto.capacity);
      if (bigger.length)
        throw itemsInTheWay(
          `Future items need more than ${dto.capacity} seats; lower their capacity first`,
          bigger,
          `capacity above ${dto.capacity}`,
        );
    });
  }

  removeVenue(id: string): Promise<void> {
    return this.venues.remove({ venueId: id }, (tx, spaceIds) =>
      clearSpacesForRemoval(tx, spaceIds, 'The venue'),
    );
  }

  removePavilion(id: string): Promise<void> {
    return this.venues.remove({ pavilionId: id }, (tx, spaceIds) =>
      clearSpacesForRemoval(tx, spaceIds, 'The pavilion'),
    );
  }

  removeSpace(id: string): Promise<void> {
    return this.venues.remove({ spaceId: id }, (tx, spaceIds) => {
      if (spaceIds.length === 0) throw DomainError.notFound('Space');
      return clearSpacesForRemoval(tx, spaceIds, 'The space');
    });
  }
}
