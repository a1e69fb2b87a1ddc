import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, parseVenueInstant } from '@pavilion/core';
import { OutboxEvent, PgSqlState, violates } from '@pavilion/database';
import { VenuesService } from '@pavilion/venues';
import { CreateItemDto, ItemResponseDto, UpdateItemDto } from '../dto/item.dto';
import { Programme, ProgrammeItem } from '../programme.entities';
import { ProgrammesService } from '../programmes.service';
import { ItemReadsService } from '../reads/item-reads.service';
import { SpeakersRepository } from '../speakers.repository';
import {
  Booking,
  capacityBelowConfirmed,
  ItemChecks,
  meetingsInTheWay,
  optionalInstant,
  placeChangedMeanwhile,
  sessionFields,
} from './item-checks';
import { ItemWritesRepository } from './item-writes.repository';

/**
 * Writing a programme's items: create (placed, or unplaced for the scheduler), change and cancel, each checked
 * by ItemChecks, with overlaps left to PostgreSQL's exclusion constraints. The CSV import is ItemsImportService;
 * displacement (closures, opening hours) is displacement.repository.
 */
@Injectable()
export class ItemWritesService {
  constructor(
    private readonly items: ItemWritesRepository,
    private readonly speakers: SpeakersRepository,
    private readonly checks: ItemChecks,
    private readonly programmes: ProgrammesService,
    private readonly venues: VenuesService,
    private readonly reads: ItemReadsService,
  ) {}

  async create(programmeId: string, dto: CreateItemDto): Promise<ItemResponseDto> {
    const programme = await this.programmes.requireProgramme(programmeId);
    const speakerIds = dto.speakerIds ?? [];
    const where = [dto.spaceId, dto.startsAt, dto.endsAt].filter((v) => v !== undefined).length;
    if (where === 0 && dto.durationMinutes !== undefined) return this.createUnplaced(programme, dto);
    if (where !== 3 || !dto.spaceId || !dto.startsAt || !dto.endsAt) {
      throw DomainError.invalid(
        'spaceId',
        'startsAt and endsAt are needed together; or leave all three out and give durationMinutes',
      );
    }
    const place = await this.checks.placeFor(programme, dto.spaceId);
    const zone = place.venue.timezone;
    const schedule = {
      startsAt: parseVenueInstant(dto.startsAt, zone, 'startsAt'),
      endsAt: parseVenueInstant(dto.endsAt, zone, 'endsAt'),
      capacity: dto.capacity ?? place.space.capacity,
      registrationOpensAt: optionalInstant(dto.registrationOpensAt, zone, 'registrationOpensAt'),
      registrationClosesAt: optionalInstant(dto.registrationClosesAt, zone, 'registrationClosesAt'),
    };
    await this.checks.checkBounds(programme, place, schedule);
    await this.checks.requireSpeakers(speakerIds);
    const placement = await this.checks.placementFrom(programme, dto.placement, zone);
    const session = sessionFields(dto.type, place, dto);
    const booking = { spaceId: dto.spaceId, speakerIds, ...schedule };
    await this.checks.refuseConflicts(booking);

    const saved = await this.checks.guardOverlaps(booking, () =>
      this.items.insertItem(
        {
          programmeId,
          spaceId: dto.spaceId as string,
          type: dto.type,
          title: dto.title,
          description: dto.description ?? null,
          languages: dto.languages ?? [],
          registrationRequired: dto.registrationRequired ?? true,
          capacityFromSpace: false,
          durationMinutes: dto.durationMinutes ?? null,
          placement,
          ...schedule,
          ...session,
        },
        speakerIds,
      ),
    );
    return this.checks.withWarnings(await this.view(saved), speakerIds, schedule);
  }

  /** An item without a place: a length and constraints for the scheduler; it blocks nothing and is not public. */
  private async createUnplaced(programme: Programme, dto: CreateItemDto): Promise<ItemResponseDto> {
    const { venue } = await this.venues.requirePavilionInVenue(programme.pavilionId);
    const speakerIds = dto.speakerIds ?? [];
    await this.checks.requireSpeakers(speakerIds);
    const placement = await this.checks.placementFrom(programme, dto.placement, venue.timezone);
    const saved = await this.items.insertItem(
      {
        programmeId: programme.id,
        spaceId: null,
        type: dto.type,
        title: dto.title,
        description: dto.description ?? null,
        languages: dto.languages ?? [],
        registrationRequired: dto.registrationRequired ?? true,
        startsAt: null,
        endsAt: null,
        capacity: dto.capacity ?? placement.minSeats ?? 1,
        capacityFromSpace: dto.capacity === undefined,
        durationMinutes: dto.durationMinutes ?? null,
        placement,
        // Not a B2B session until it is placed in a b2b_zone.
        meetingMinutes: null,
        requestsPerParticipant: dto.requestsPerParticipant ?? 20,
        requestsCloseAt: null,
        registrationOpensAt: optionalInstant(dto.registrationOpensAt, venue.timezone, 'registrationOpensAt'),
        registrationClosesAt: optionalInstant(
          dto.registrationClosesAt,
          venue.timezone,
          'registrationClosesAt',
        ),
      },
      speakerIds,
      'unplaced',
    );
    return this.view(saved);
  }

  async update(itemId: string, dto: UpdateItemDto): Promise<ItemResponseDto> {
    const current = await this.requireItem(itemId);
    const programme = await this.programmes.requireProgramme(current.programmeId);
    let attempted: Booking | undefined;
    let warn: { speakerIds: string[]; schedule: { startsAt: Date; endsAt: Date } } | undefined;
    const saved = await this.items
      .updateItem(itemId, async (locked) => {
        if (locked.status === 'cancelled')
          throw new DomainError(ErrorCode.StateConflict, 'A cancelled item cannot be changed');
        const placing = locked.status === 'unplaced';
        const where = [dto.spaceId, dto.startsAt, dto.endsAt].filter((v) => v !== undefined).length;
        if (placing && where === 0) return this.unplacedChange(programme, locked, dto);
        if (placing && where !== 3) {
          throw DomainError.invalid('spaceId', 'placing an unplaced item needs spaceId, startsAt and endsAt');
        }
        const spaceId = (dto.spaceId ?? locked.spaceId) as string;
        const place = await this.checks.placeFor(programme, spaceId);
        const zone = place.venue.timezone;
        const schedule = {
          startsAt: dto.startsAt
            ? parseVenueInstant(dto.startsAt, zone, 'startsAt')
            : (locked.startsAt as Date),
          endsAt: dto.endsAt ? parseVenueInstant(dto.endsAt, zone, 'endsAt') : (locked.endsAt as Date),
          capacity:
            dto.capacity ?? (placing && locked.capacityFromSpace ? place.space.capacity : locked.capacity),
          registrationOpensAt:
            dto.registrationOpensAt !== undefined
              ? optionalInstant(dto.registrationOpensAt, zone, 'registrationOpensAt')
              : locked.registrationOpensAt,
          registrationClosesAt:
            dto.registrationClosesAt !== undefined
              ? optionalInstant(dto.registrationClosesAt, zone, 'registrationClosesAt')
              : locked.registrationClosesAt,
        };
        await this.checks.checkBounds(programme, place, schedule);
        const speakerIds =
          dto.speakerIds ?? (await this.speakers.speakersOf([itemId])).get(itemId)?.map((s) => s.id) ?? [];
        if (dto.speakerIds) await this.checks.requireSpeakers(dto.speakerIds);
        attempted = {
          spaceId,
          speakerIds,
          startsAt: schedule.startsAt,
          endsAt: schedule.endsAt,
          exceptItemId: itemId,
        };
        await this.checks.refuseConflicts(attempted);

        const moved =
          !placing &&
          (spaceId !== locked.spaceId ||
            schedule.startsAt.getTime() !== (locked.startsAt as Date).getTime() ||
            schedule.endsAt.getTime() !== (locked.endsAt as Date).getTime());
        warn = { speakerIds, schedule };
        const session = sessionFields(dto.type ?? locked.type, place, dto, locked);
        const change: Partial<ProgrammeItem> = {
          ...schedule,
          ...session,
          spaceId,
          ...(placing && { status: 'scheduled' as const }),
          ...(dto.placement !== undefined && {
            placement: await this.checks.placementFrom(programme, dto.placement, zone, itemId),
          }),
          ...(dto.durationMinutes !== undefined && { durationMinutes: dto.durationMinutes }),
          ...(dto.type !== undefined && { type: dto.type }),
          ...(dto.title !== undefined && { title: dto.title }),
          ...(dto.description !== undefined && { description: dto.description }),
          ...(dto.languages !== undefined && { languages: dto.languages }),
          ...(dto.registrationRequired !== undefined && { registrationRequired: dto.registrationRequired }),
          version: moved ? locked.version + 1 : locked.version,
        };
        // Registrants hear of the net change from the worker; the previous place and time travel with the event.
        const events: OutboxEvent[] = moved
          ? [
              {
                kind: 'item_rescheduled',
                itemId,
                itemVersion: locked.version + 1,
                payload: {
                  previous: {
                    startsAt: locked.startsAt,
                    endsAt: locked.endsAt,
                    spaceId: locked.spaceId,
                    version: locked.version,
                  },
                },
              },
            ]
          : [];
        return { change, speakerIds: dto.speakerIds, events };
      })
      .catch(async (error: unknown) => {
        if (attempted && violates(error, PgSqlState.ExclusionViolation))
          throw await this.checks.overlapError(attempted);
        if (violates(error, PgSqlState.CheckViolation, 'b2b_session_keeps_its_meetings')) {
          const { timezone } = await this.view(await this.requireItem(itemId));
          throw meetingsInTheWay(error, { itemId, title: current.title }, timezone);
        }
        if (violates(error, PgSqlState.CheckViolation, 'programme_items_confirmed_within_capacity')) {
          const { confirmedCount } = await this.requireItem(itemId);
          throw capacityBelowConfirmed(dto.capacity, confirmedCount);
        }
        throw placeChangedMeanwhile(error);
      });
    const view = await this.view(saved);
    return warn ? this.checks.withWarnings(view, warn.speakerIds, warn.schedule) : view;
  }

  private async unplacedChange(programme: Programme, locked: ProgrammeItem, dto: UpdateItemDto) {
    const { venue } = await this.venues.requirePavilionInVenue(programme.pavilionId);
    if (dto.speakerIds) await this.checks.requireSpeakers(dto.speakerIds);
    const zone = venue.timezone;
    const change: Partial<ProgrammeItem> = {
      ...(dto.type !== undefined && { type: dto.type }),
      ...(dto.title !== undefined && { title: dto.title }),
      ...(dto.description !== undefined && { description: dto.description }),
      ...(dto.languages !== undefined && { languages: dto.languages }),
      ...(dto.registrationRequired !== undefined && { registrationRequired: dto.registrationRequired }),
      ...(dto.capacity !== undefined && { capacity: dto.capacity, capacityFromSpace: false }),
      ...(dto.durationMinutes !== undefined && { durationMinutes: dto.durationMinutes }),
      ...(dto.placement !== undefined && {
        placement: await this.checks.placementFrom(programme, dto.placement, zone, locked.id),
      }),
      ...(dto.registrationOpensAt !== undefined && {
        registrationOpensAt: optionalInstant(dto.registrationOpensAt, zone, 'registrationOpensAt'),
      }),
      ...(dto.registrationClosesAt !== undefined && {
        registrationClosesAt: optionalInstant(dto.registrationClosesAt, zone, 'registrationClosesAt'),
      }),
    };
    return { change, speakerIds: dto.speakerIds };
  }

  async cancel(itemId: string, reason: string): Promise<ItemResponseDto> {
    await this.requireItem(itemId);
    const saved = await this.items.updateItem(itemId, async (locked) => {
      if (locked.status === 'cancelled')
        throw new DomainError(ErrorCode.StateConflict, 'The item is already cancelled');
      return {
        change: { status: 'cancelled', cancelReason: reason, cancelledAt: new Date() },
        events: [{ kind: 'item_cancelled', itemId, itemVersion: locked.version, payload: { reason } }],
      };
    });
    return this.view(saved);
  }

  private async requireItem(id: string): Promise<ProgrammeItem> {
    const item = await this.items.findItem(id);
    if (!item) throw DomainError.notFound('Item');
    return item;
  }

  private async view(item: ProgrammeItem): Promise<ItemResponseDto> {
    const [view] = await this.reads.viewsByIds([item.id]);
    return view;
  }
}
