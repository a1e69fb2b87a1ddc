import { Injectable } from '@nestjs/common';
import {
  Conflict,
  definedOnly,
  DomainError,
  ErrorCode,
  formatVenueInstant,
  parseVenueInstant,
  TimeRangeDto,
} from '@pavilion/core';
import { PgSqlState, violates, violationDetail } from '@pavilion/database';
import { SpaceInVenue, VenuesService } from '@pavilion/venues';
import { ItemResponseDto, ItemWarning, PlacementDto } from '../dto/item.dto';
import { toConflict } from '../conflicts';
import { ItemType, PlacementConstraints, Programme, ProgrammeItem } from '../programme.entities';
import { checkItemSchedule } from '../scheduling-rules';
import { SpeakersRepository } from '../speakers.repository';
import { ItemWritesRepository } from './item-writes.repository';

/**
 * The rules of creation an item write passes before it reaches PostgreSQL: its place, its time within the
 * programme and the opening hours, its speakers, its placement constraints, and what stands in the way (named in
 * the 409, while the exclusion constraints settle concurrent writers).
 */
@Injectable()
export class ItemChecks {
  constructor(
    private readonly items: ItemWritesRepository,
    private readonly speakers: SpeakersRepository,
    private readonly venues: VenuesService,
  ) {}

  async placeFor(programme: Programme, spaceId: string): Promise<SpaceInVenue> {
    const place = await this.venues.requireSpaceInVenue(spaceId).catch(() => {
      throw DomainError.invalid('spaceId', 'is not a known space');
    });
    if (place.pavilion.id !== programme.pavilionId) {
      throw DomainError.invalid('spaceId', "must be a space of the programme's pavilion");
    }
    return place;
  }

  async checkBounds(
    programme: Programme,
    place: SpaceInVenue,
    schedule: Parameters<typeof checkItemSchedule>[0],
  ) {
    const { hours } = await this.venues.requirePavilionInVenue(place.pavilion.id);
    checkItemSchedule(schedule, {
      timezone: place.venue.timezone,
      programme,
      openingHours: hours,
      space: place.space,
    });
  }

  async requireSpeakers(ids: string[]): Promise<void> {
    const missing = await this.speakers.missingSpeakers(ids);
    if (missing.length > 0)
      throw DomainError.invalid('speakerIds', `holds unknown speakers: ${missing.join(', ')}`);
  }

  async refuseConflicts(booking: Booking): Promise<void> {
    const error = await this.overlapError(booking);
    if (error.details.conflicts?.length) throw error;
  }

  /** Runs a write; if an exclusion constraint refuses it (a concurrent writer won), reports what is in the way. */
  async guardOverlaps<T>(booking: Booking, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (violates(error, PgSqlState.ExclusionViolation)) throw await this.overlapError(booking);
      throw placeChangedMeanwhile(error);
    }
  }

  async overlapError(booking: Booking): Promise<DomainError> {
    const rows = await this.items.findConflicts(booking);
    const conflicts: Conflict[] = rows.map((r) => toConflict(r));
    const closed = rows.some((r) => r.kind === 'closure');
    const spaceTaken = rows.some((r) => r.kind === 'space');
    if (closed)
      return new DomainError(ErrorCode.SpaceClosed, 'The space is closed for part of that time', {
        conflicts,
      });
    return new DomainError(
      spaceTaken ? ErrorCode.SpaceDoubleBooked : ErrorCode.SpeakerDoubleBooked,
      spaceTaken
        ? 'The space is already booked for part of that time'
        : 'A speaker is already in another item at that time',
      { conflicts },
    );
  }

  /**
   * The stored form of `placement`: ranges as ISO instants, ids checked to be this programme's items and its
   * pavilion's spaces (an unknown one is a 400, not a rule the scheduler silently cannot meet).
   */
  async placementFrom(
    programme: Programme,
    dto: PlacementDto | undefined,
    zone: string,
    selfId?: string,
  ): Promise<PlacementConstraints> {
    if (!dto) return {};
    const ranges = (list: TimeRangeDto[] | undefined, field: string) =>
      list?.map((r, i) => {
        const from = parseVenueInstant(r.from, zone, `placement.${field}[${i}].from`);
        const to = parseVenueInstant(r.to, zone, `placement.${field}[${i}].to`);
        if (to.getTime() <= from.getTime())
          throw DomainError.invalid(`placement.${field}[${i}].to`, 'must be later than from');
        return { from: from.toISOString(), to: to.toISOString() };
      });
    const itemRefs = [...(dto.after ?? []), ...(dto.notParallelWith ?? []), ...(dto.sameDayAs ?? [])];
    if (selfId && itemRefs.includes(selfId))
      throw DomainError.invalid('placement', 'must not name the item itself');
    const known = new Set(
      (await this.items.findItems(itemRefs)).filter((i) => i.programmeId === programme.id).map((i) => i.id),
    );
    const unknown = itemRefs.filter((id) => !known.has(id));
    if (unknown.length)
      throw DomainError.invalid('placement', `names items not in this programme: ${unknown.join(', ')}`);
    for (const spaceId of dto.spaceIds ?? []) {
      const place = await this.venues.requireSpaceInVenue(spaceId).catch(() => null);
      if (place?.pavilion.id !== programme.pavilionId)
        throw DomainError.invalid(
          'placement.spaceIds',
          `${spaceId} is not a space of the programme's pavilion`,
        );
    }
    return definedOnly({
      spaceIds: dto.spaceIds,
      spaceKinds: dto.spaceKinds,
      minSeats: dto.minSeats,
      windows: ranges(dto.windows, 'windows'),
      after: dto.after,
      notParallelWith: dto.notParallelWith,
      sameDayAs: dto.sameDayAs,
      preferredWindows: ranges(dto.preferredWindows, 'preferredWindows'),
      pinned: dto.pinned,
    });
  }

  /** A manual placement outside a speaker's availability is allowed, and said. */
  async withWarnings(
    view: ItemResponseDto,
    speakerIds: string[],
    at: { startsAt: Date; endsAt: Date },
  ): Promise<ItemResponseDto> {
    const warnings: ItemWarning[] = [];
    for (const speaker of await this.speakers.findSpeakers(speakerIds)) {
      if (!speaker.availability) continue;
      const inside = speaker.availability.some(
        (r) => Date.parse(r.from) <= at.startsAt.getTime() && at.endsAt.getTime() <= Date.parse(r.to),
      );
      if (!inside)
        warnings.push({
          code: 'speaker_unavailable',
          speakerId: speaker.id,
          detail: `${speaker.name} is not available for the whole item`,
        });
    }
    return warnings.length ? { ...view, warnings } : view;
  }
}

/**
 * A space deleted or shrunk, a speaker deleted, or the opening hours shrunk between the checks and the write (the
 * database's triggers and keys refuse it): a 409 (400 for the capacity) saying so; any other error unchanged.
 * The opening hours: `programme_items_keep_within_opening_hours` (by `within_opening_hours`) under the space's lock.
 */
export function placeChangedMeanwhile(error: unknown): unknown {
  if (violates(error, PgSqlState.ForeignKeyViolation))
    return new DomainError(ErrorCode.StateConflict, 'The space or a speaker was deleted meanwhile', {
      errors: [{ field: 'spaceId', message: 'the space or a speaker no longer exists' }],
    });
  if (violates(error, PgSqlState.CheckViolation, 'programme_items_within_space_capacity'))
    return new DomainError(ErrorCode.CapacityExceedsSpace, "The space's capacity was lowered meanwhile", {
      errors: [{ field: 'capacity', message: "must be at most the space's capacity" }],
    });
  if (violates(error, PgSqlState.CheckViolation, 'programme_items_within_opening_hours'))
    return new DomainError(ErrorCode.StateConflict, "The pavilion's opening hours changed meanwhile", {
      errors: [
        {
          field: 'startsAt',
          message: "the item must lie within one of the pavilion's opening intervals that day",
        },
      ],
    });
  return error;
}

type SessionFields = Pick<ProgrammeItem, 'meetingMinutes' | 'requestsPerParticipant' | 'requestsCloseAt'>;

/**
 * A b2b_meetings item in a b2b_zone is a B2B session: its time is cut into `meetingMinutes` slots (default 20).
 * Session fields on any other item are a 400.
 */
export function sessionFields(
  type: ItemType,
  place: SpaceInVenue,
  dto: { meetingMinutes?: number; requestsPerParticipant?: number; requestsCloseAt?: string | null },
  current?: ProgrammeItem,
): SessionFields {
  const isSession = type === 'b2b_meetings' && place.space.kind === 'b2b_zone';
  if (!isSession) {
    for (const field of ['meetingMinutes', 'requestsPerParticipant', 'requestsCloseAt'] as const)
      if (dto[field] !== undefined && dto[field] !== null)
        throw DomainError.invalid(field, 'is only for b2b_meetings items in a b2b_zone space');
  }
  return {
    meetingMinutes: isSession ? (dto.meetingMinutes ?? current?.meetingMinutes ?? 20) : null,
    requestsPerParticipant: dto.requestsPerParticipant ?? current?.requestsPerParticipant ?? 20,
    requestsCloseAt:
      dto.requestsCloseAt !== undefined
        ? optionalInstant(dto.requestsCloseAt, place.venue.timezone, 'requestsCloseAt')
        : (current?.requestsCloseAt ?? null),
  };
}

export interface Booking {
  spaceId: string;
  speakerIds: string[];
  startsAt: Date;
  endsAt: Date;
  exceptItemId?: string;
}

export function optionalInstant(value: string | undefined | null, zone: string, field: string): Date | null {
  return value ? parseVenueInstant(value, zone, field) : null;
}

/** The session would lose slots that hold scheduled meetings (`b2b_session_keeps_its_meetings`): a 409 naming them. */
export function meetingsInTheWay(
  error: unknown,
  item: { itemId: string; title: string },
  timezone: string,
): DomainError {
  const meetings = JSON.parse(violationDetail(error) ?? '[]') as MeetingInTheWay[];
  return DomainError.conflicting(
    'The session would no longer hold slots that have scheduled meetings; cancel them first',
    meetings.map((m) => ({
      meetingId: m.meetingId,
      itemId: item.itemId,
      title: item.title,
      startsAt: formatVenueInstant(new Date(m.startsAt), timezone),
      endsAt: formatVenueInstant(new Date(m.endsAt), timezone),
      reason: 'meeting',
    })),
  );
}

/** A capacity below the confirmed seats (`programme_items_confirmed_within_capacity`): nobody is dropped. */
export function capacityBelowConfirmed(capacity: number | undefined, confirmedCount: number): DomainError {
  return new DomainError(
    ErrorCode.StateConflict,
    `capacity ${capacity} is below the ${confirmedCount} confirmed registrations; nobody is dropped silently`,
    {
      errors: [
        { field: 'capacity', message: `must be at least ${confirmedCount}, the confirmed registrations` },
      ],
    },
  );
}

/** What the database says stands in the way when a session would lose slots (see the B2B migration). */
interface MeetingInTheWay {
  meetingId: string;
  startsAt: string;
  endsAt: string;
}
