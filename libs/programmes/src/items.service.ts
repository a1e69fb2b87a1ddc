import { Injectable } from '@nestjs/common';
import {
  Actor,
  actsFor,
  Conflict,
  decodeKeyset,
  definedOnly,
  DomainError,
  ErrorCode,
  formatVenueInstant,
  LruCache,
  Page,
  parseVenueInstant,
  toPage,
  venueDayRange,
} from '@pavilion/core';
import { OutboxEvent, PgSqlState, violates, violationDetail } from '@pavilion/database';
import { mapSpace, SpaceInVenue, SpaceKind, VenuesService } from '@pavilion/venues';
import {
  CreateItemDto,
  ItemListQueryDto,
  ItemResponseDto,
  ItemWarning,
  mapItem,
  PlacementDto,
  TimeRangeDto,
  UpdateItemDto,
} from './dto/item.dto';
import { mapSpeaker } from './dto/speaker.dto';
import { ItemType, PlacementConstraints, Programme, ProgrammeItem } from './programme.entities';
import { toConflict } from './conflicts';
import { ProgrammesRepository } from './programmes.repository';
import { ProgrammesService } from './programmes.service';
import { ItemRow, ProgrammeReadsRepository } from './reads/programme-reads.repository';
import { checkItemSchedule } from './scheduling-rules';

/** Building a programme's items: the scheduling rules, with overlaps left to PostgreSQL's constraints. */
@Injectable()
export class ItemsService {
  private readonly pages = new LruCache<ListedPage>(64);

  constructor(
    private readonly repository: ProgrammesRepository,
    private readonly programmes: ProgrammesService,
    private readonly venues: VenuesService,
    private readonly reads: ProgrammeReadsRepository,
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
    const place = await this.placeFor(programme, dto.spaceId);
    const zone = place.venue.timezone;
    const schedule = {
      startsAt: parseVenueInstant(dto.startsAt, zone, 'startsAt'),
      endsAt: parseVenueInstant(dto.endsAt, zone, 'endsAt'),
      capacity: dto.capacity ?? place.space.capacity,
      registrationOpensAt: optionalInstant(dto.registrationOpensAt, zone, 'registrationOpensAt'),
      registrationClosesAt: optionalInstant(dto.registrationClosesAt, zone, 'registrationClosesAt'),
    };
    await this.checkBounds(programme, place, schedule);
    await this.requireSpeakers(speakerIds);
    const placement = await this.placementFrom(programme, dto.placement, zone);
    const session = sessionFields(dto.type, place, dto);
    const booking = { spaceId: dto.spaceId, speakerIds, ...schedule };
    await this.refuseConflicts(booking);

    const saved = await this.guardOverlaps(booking, () =>
      this.repository.insertItem(
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
    return this.withWarnings(await this.view(saved), speakerIds, schedule);
  }

  /** An item without a place: a length and constraints for the scheduler; it blocks nothing and is not public. */
  private async createUnplaced(programme: Programme, dto: CreateItemDto): Promise<ItemResponseDto> {
    const { venue } = await this.venues.requirePavilionInVenue(programme.pavilionId);
    const speakerIds = dto.speakerIds ?? [];
    await this.requireSpeakers(speakerIds);
    const placement = await this.placementFrom(programme, dto.placement, venue.timezone);
    const saved = await this.repository.insertItem(
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
    const saved = await this.repository
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
        const place = await this.placeFor(programme, spaceId);
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
        await this.checkBounds(programme, place, schedule);
        const speakerIds =
          dto.speakerIds ?? (await this.repository.speakersOf([itemId])).get(itemId)?.map((s) => s.id) ?? [];
        if (dto.speakerIds) await this.requireSpeakers(dto.speakerIds);
        attempted = {
          spaceId,
          speakerIds,
          startsAt: schedule.startsAt,
          endsAt: schedule.endsAt,
          exceptItemId: itemId,
        };
        await this.refuseConflicts(attempted);

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
            placement: await this.placementFrom(programme, dto.placement, zone, itemId),
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
          throw await this.overlapError(attempted);
        if (violates(error, PgSqlState.CheckViolation, 'b2b_session_keeps_its_meetings')) {
          const { timezone } = await this.view(await this.requireItem(itemId));
          const meetings = JSON.parse(violationDetail(error) ?? '[]') as MeetingInTheWay[];
          throw new DomainError(
            ErrorCode.StateConflict,
            'The session would no longer hold slots that have scheduled meetings; cancel them first',
            {
              conflicts: meetings.map((m) => ({
                meetingId: m.meetingId,
                itemId,
                title: current.title,
                startsAt: formatVenueInstant(new Date(m.startsAt), timezone),
                endsAt: formatVenueInstant(new Date(m.endsAt), timezone),
                reason: 'meeting',
              })),
            },
          );
        }
        if (violates(error, PgSqlState.CheckViolation, 'programme_items_confirmed_within_capacity')) {
          const { confirmedCount } = await this.requireItem(itemId);
          throw new DomainError(
            ErrorCode.StateConflict,
            `capacity ${dto.capacity} is below the ${confirmedCount} confirmed registrations; nobody is dropped silently`,
            {
              errors: [
                {
                  field: 'capacity',
                  message: `must be at least ${confirmedCount}, the confirmed registrations`,
                },
              ],
            },
          );
        }
        throw placeChangedMeanwhile(error);
      });
    const view = await this.view(saved);
    return warn ? this.withWarnings(view, warn.speakerIds, warn.schedule) : view;
  }

  private async unplacedChange(programme: Programme, locked: ProgrammeItem, dto: UpdateItemDto) {
    const { venue } = await this.venues.requirePavilionInVenue(programme.pavilionId);
    if (dto.speakerIds) await this.requireSpeakers(dto.speakerIds);
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
        placement: await this.placementFrom(programme, dto.placement, zone, locked.id),
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

  /**
   * The stored form of `placement`: ranges as ISO instants, ids checked to be this programme's items and its
   * pavilion's spaces (an unknown one is a 400, not a rule the scheduler silently cannot meet).
   */
  private async placementFrom(
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
      (await this.repository.findItems(itemRefs))
        .filter((i) => i.programmeId === programme.id)
        .map((i) => i.id),
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
  private async withWarnings(
    view: ItemResponseDto,
    speakerIds: string[],
    at: { startsAt: Date; endsAt: Date },
  ): Promise<ItemResponseDto> {
    const warnings: ItemWarning[] = [];
    for (const speaker of await this.repository.findSpeakers(speakerIds)) {
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

  async cancel(itemId: string, reason: string): Promise<ItemResponseDto> {
    await this.requireItem(itemId);
    const saved = await this.repository.updateItem(itemId, async (locked) => {
      if (locked.status === 'cancelled')
        throw new DomainError(ErrorCode.StateConflict, 'The item is already cancelled');
      return {
        change: { status: 'cancelled', cancelReason: reason, cancelledAt: new Date() },
        events: [{ kind: 'item_cancelled', itemId, itemVersion: locked.version, payload: { reason } }],
      };
    });
    return this.view(saved);
  }

  async get(itemId: string, actor: Actor | null): Promise<ItemResponseDto> {
    const [row] = await this.reads.items({ itemIds: [itemId], withUnplaced: true });
    if (!row) throw DomainError.notFound('Item');
    const header = await this.programmes.requireVisibleHeader(row.item.programmeId, actor);
    if (row.item.status === 'unplaced' && !actsFor(actor, header.programme.organizationId))
      throw DomainError.notFound('Item');
    return viewOfRow(row, header.timezone);
  }

  /** A programme's items in two statements (the programme, then items with spaces and speakers). */
  async list(
    programmeId: string,
    query: ItemListQueryDto,
    actor: Actor | null,
  ): Promise<Page<ItemResponseDto>> {
    return (await this.listed(programmeId, query, actor)).page;
  }

  /** The same list as the JSON bytes the API sends, serialized once per fingerprint. */
  async listJson(programmeId: string, query: ItemListQueryDto, actor: Actor | null): Promise<Buffer> {
    const listed = await this.listed(programmeId, query, actor);
    listed.json ??= Buffer.from(JSON.stringify(listed.page));
    return listed.json;
  }

  private async listed(programmeId: string, query: ItemListQueryDto, actor: Actor | null) {
    const { timezone, programme, fingerprint } = await this.programmes.requireVisibleHeader(
      programmeId,
      actor,
    );
    const withUnplaced = actsFor(actor, programme.organizationId);
    // The fingerprint moves with every committed write to what the list shows, so a kept page is never stale.
    const key = JSON.stringify([programmeId, fingerprint, withUnplaced, query]);
    const cached = this.pages.get(key);
    if (cached) return cached;
    const day = query.date ? venueDayRange(query.date, timezone) : undefined;
    const rows = await this.reads.items({
      programmeId,
      from: day?.start,
      to: day?.end,
      type: query.type,
      spaceId: query.spaceId,
      language: query.language,
      q: query.q,
      after: itemCursor(query.cursor),
      withUnplaced,
      limit: query.limit + 1,
    });
    const page = toPage(
      rows,
      query.limit,
      (r) => [r.item.startsAt ? r.item.startsAt.toISOString() : 'infinity', r.item.id],
      (r) => viewOfRow(r, timezone),
    );
    const listed: ListedPage = { page, json: null };
    this.pages.set(key, listed);
    return listed;
  }

  /** Items as the API shows them, in the order of `ids` (unknown ids are skipped). */
  async viewsByIds(ids: string[]): Promise<ItemResponseDto[]> {
    const rows = await this.reads.items({ itemIds: ids, withUnplaced: true });
    const zones = new Map<string, string>();
    for (const programmeId of new Set(rows.map((r) => r.item.programmeId)))
      zones.set(programmeId, (await this.programmes.requireHeader(programmeId)).timezone);
    const views = new Map(
      rows.map((r) => [r.item.id, viewOfRow(r, zones.get(r.item.programmeId) as string)]),
    );
    return ids.flatMap((id) => views.get(id) ?? []);
  }

  /** The item with its programme, for access checks by the API (ownership, visibility). */
  async ownerOf(itemId: string): Promise<Programme> {
    return this.programmes.requireProgramme((await this.requireItem(itemId)).programmeId);
  }

  private async requireItem(id: string): Promise<ProgrammeItem> {
    const item = await this.repository.findItem(id);
    if (!item) throw DomainError.notFound('Item');
    return item;
  }

  private async placeFor(programme: Programme, spaceId: string): Promise<SpaceInVenue> {
    const place = await this.venues.requireSpaceInVenue(spaceId).catch(() => {
      throw DomainError.invalid('spaceId', 'is not a known space');
    });
    if (place.pavilion.id !== programme.pavilionId) {
      throw DomainError.invalid('spaceId', "must be a space of the programme's pavilion");
    }
    return place;
  }

  private async checkBounds(
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

  private async requireSpeakers(ids: string[]): Promise<void> {
    const missing = await this.repository.missingSpeakers(ids);
    if (missing.length > 0)
      throw DomainError.invalid('speakerIds', `holds unknown speakers: ${missing.join(', ')}`);
  }

  private async refuseConflicts(booking: Booking): Promise<void> {
    const error = await this.overlapError(booking);
    if (error.details.conflicts?.length) throw error;
  }

  /** Runs a write; if an exclusion constraint refuses it (a concurrent writer won), reports what is in the way. */
  private async guardOverlaps<T>(booking: Booking, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (violates(error, PgSqlState.ExclusionViolation)) throw await this.overlapError(booking);
      throw placeChangedMeanwhile(error);
    }
  }

  private async overlapError(booking: Booking): Promise<DomainError> {
    const rows = await this.repository.findConflicts(booking);
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

  private async view(item: ProgrammeItem): Promise<ItemResponseDto> {
    const [view] = await this.viewsByIds([item.id]);
    return view;
  }
}

/** One read row as the API shows it. */
export function viewOfRow(row: ItemRow, timezone: string): ItemResponseDto {
  return mapItem({
    item: row.item,
    timezone,
    space: row.space && mapSpace({ ...row.space, kind: row.space.kind as SpaceKind, createdAt: new Date(0) }),
    speakers: row.speakers.map(mapSpeaker),
  });
}

/**
 * A space deleted or shrunk, or a speaker deleted, between the checks and the write (the database's triggers
 * and keys refuse it): a 409 saying so; any other error unchanged.
 */
function placeChangedMeanwhile(error: unknown): unknown {
  if (violates(error, PgSqlState.ForeignKeyViolation))
    return new DomainError(ErrorCode.StateConflict, 'The space or a speaker was deleted meanwhile', {
      errors: [{ field: 'spaceId', message: 'the space or a speaker no longer exists' }],
    });
  if (violates(error, PgSqlState.CheckViolation, 'programme_items_within_space_capacity'))
    return new DomainError(ErrorCode.CapacityExceedsSpace, "The space's capacity was lowered meanwhile", {
      errors: [{ field: 'capacity', message: "must be at most the space's capacity" }],
    });
  return error;
}

interface ListedPage {
  page: Page<ItemResponseDto>;
  json: Buffer | null;
}

/** What the database says stands in the way when a session would lose slots (see the B2B migration). */
interface MeetingInTheWay {
  meetingId: string;
  startsAt: string;
  endsAt: string;
}

type SessionFields = Pick<ProgrammeItem, 'meetingMinutes' | 'requestsPerParticipant' | 'requestsCloseAt'>;

/**
 * A b2b_meetings item in a b2b_zone is a B2B session: its time is cut into `meetingMinutes` slots (default 20).
 * Session fields on any other item are a 400.
 */
function sessionFields(
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

interface Booking {
  spaceId: string;
  speakerIds: string[];
  startsAt: Date;
  endsAt: Date;
  exceptItemId?: string;
}

/** The list's keyset cursor: (start or 'infinity' for unplaced items, id); anything else is a 400. */
function itemCursor(cursor: string | undefined) {
  const after = decodeKeyset(cursor, 'startsAt');
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (
    after &&
    ((after.startsAt !== 'infinity' && Number.isNaN(Date.parse(after.startsAt))) || !uuid.test(after.id))
  )
    throw DomainError.invalid('cursor', 'is not a cursor this API issued');
  return after;
}

function optionalInstant(value: string | undefined | null, zone: string, field: string): Date | null {
  return value ? parseVenueInstant(value, zone, field) : null;
}
