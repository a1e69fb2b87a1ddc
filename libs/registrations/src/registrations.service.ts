import { FavouritesRepository } from './favourites.repository';
import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import {
  Actor,
  actsFor,
  decodeKeyset,
  safeCsvCell,
  DomainError,
  ErrorCode,
  formatVenueInstant,
  Page,
  toPage,
} from '@pavilion/core';
import { ItemResponseDto, ItemReadsService } from '@pavilion/programmes';
import { CheckInAttempts } from './check-in-attempts';
import { ClaimBatcher } from './claim-batcher';
import {
  CheckInDto,
  mapRegistrant,
  mapRegistration,
  MyRegistrationDto,
  RegistrantDto,
  RegistrantsQueryDto,
  RegistrationResponseDto,
} from './dto/registration.dto';
import { RegistrationsRepository } from './registrations.repository';
import { SeatClaimsRepository } from './seat-claims.repository';

const CSV_PAGE = 500;

@Injectable()
export class RegistrationsService {
  constructor(
    private readonly repository: RegistrationsRepository,
    private readonly seats: SeatClaimsRepository,
    private readonly batcher: ClaimBatcher,
    private readonly items: ItemReadsService,
    private readonly checkInAttempts: CheckInAttempts,
    private readonly favourites: FavouritesRepository,
  ) {}

  async register(itemId: string, actor: Actor): Promise<RegistrationResponseDto> {
    const result = await this.batcher.claim(itemId, actor.userId);
    switch (result.kind) {
      case 'registered':
        return {
          id: result.id,
          itemId,
          status: result.status,
          ...(result.waitlistPosition !== undefined && { waitlistPosition: result.waitlistPosition }),
          checkInCode: result.checkInCode,
        };
      case 'missing':
        throw DomainError.notFound('Item');
      case 'refused':
        // A draft is hidden from everyone but its organizers: do not confirm that it exists.
        if (result.item.programmeStatus !== 'published' && !actsFor(actor, result.item.organizationId)) {
          throw DomainError.notFound('Item');
        }
        throw result.refusal;
      case 'duplicate':
        throw new DomainError(ErrorCode.AlreadyRegistered, 'You are already registered for this item');
      case 'overlap':
        throw new DomainError(ErrorCode.RegistrationOverlap, 'It overlaps an item you are confirmed for', {
          conflicts: result.overlaps.map((o) => ({
            ...(o.meetingId && { meetingId: o.meetingId }),
            itemId: o.itemId,
            title: o.title,
            startsAt: formatVenueInstant(o.startsAt, o.timezone),
            endsAt: formatVenueInstant(o.endsAt, o.timezone),
            reason: o.meetingId ? 'meeting' : 'you are confirmed for this item at the same time',
          })),
        });
    }
  }

  async cancel(itemId: string, actor: Actor): Promise<void> {
    const cancelled = await this.seats.cancel(itemId, actor.userId);
    if (!cancelled) throw new DomainError(ErrorCode.NotFound, 'You hold no live registration for this item');
  }

  /**
   * Account erasure: every live registration of the person is cancelled, each in its own transaction that
   * frees the seat and promotes the first waitlisted (who is told). The rows stay, for the counts.
   */
  async releaseAll(userId: string): Promise<number> {
    const live = await this.repository.forUser(userId, false);
    for (const row of live) await this.seats.cancel(row.itemId, userId);
    await this.favourites.removeAllOf(userId);
    return live.length;
  }

  /** The person's live (confirmed or waitlisted) registration for an item, if any. */
  async liveFor(itemId: string, userId: string): Promise<RegistrationResponseDto | null> {
    const row = (await this.repository.forUser(userId, false)).find((r) => r.itemId === itemId);
    return row ? mapRegistration(row) : null;
  }

  async mine(actor: Actor): Promise<Page<MyRegistrationDto>> {
    const rows = await this.repository.forUser(actor.userId, true);
    const items = new Map(
      (await this.items.viewsByIds([...new Set(rows.map((r) => r.itemId))])).map((i) => [i.id, i]),
    );
    return {
      items: rows.map((row) => ({
        ...mapRegistration(row),
        item: items.get(row.itemId) as ItemResponseDto,
      })),
      nextCursor: null,
    };
  }

  async registrants(itemId: string, query: RegistrantsQueryDto): Promise<Page<RegistrantDto>> {
    const timezone = await this.timezoneOf(itemId);
    const rows = await this.repository.forItem(
      itemId,
      query.limit + 1,
      query.status,
      decodeKeyset(query.cursor, 'createdUs'),
    );
    return toPage(
      rows,
      query.limit,
      (r) => [r.createdUs, r.id],
      (r) => mapRegistrant(r, timezone),
    );
  }

  /** The registrants as CSV, read page by page and streamed, never held in memory whole. */
  async registrantsCsv(itemId: string): Promise<Readable> {
    const timezone = await this.timezoneOf(itemId);
    const repository = this.repository;
    async function* rows() {
      let after: { createdUs: string; id: string } | undefined;
      for (;;) {
        const page = await repository.forItem(itemId, CSV_PAGE, undefined, after);
        for (const row of page) {
          const r = mapRegistrant(row, timezone);
          yield [
            r.id,
            r.displayName,
            r.email,
            r.status,
            r.waitlistPosition ?? '',
            r.checkInCode,
            r.checkedInAt ?? '',
            r.registeredAt,
          ].map(safeCsvCell);
        }
        if (page.length < CSV_PAGE) return;
        const last = page[page.length - 1];
        after = { createdUs: last.createdUs, id: last.id };
      }
    }
    const csv = stringify({
      header: true,
      columns: [
        'registrationId',
        'displayName',
        'email',
        'status',
        'waitlistPosition',
        'checkInCode',
        'checkedInAt',
        'registeredAt',
      ],
    });
    return Readable.from(rows()).pipe(csv);
  }

  /** Checks a confirmed registrant in; wrong codes count against the caller (CheckInAttempts). */
  async checkIn(itemId: string, dto: CheckInDto, callerId: string): Promise<RegistrantDto> {
    if ((dto.registrationId === undefined) === (dto.code === undefined)) {
      throw DomainError.invalid('registrationId', 'give exactly one of registrationId or code');
    }
    await this.checkInAttempts.refuseIfLimited(itemId, callerId);
    const by = { registrationId: dto.registrationId, code: dto.code };
    const timezone = await this.timezoneOf(itemId);
    const checkedIn = await this.repository.checkIn(itemId, by);
    if (checkedIn) return mapRegistrant(checkedIn, timezone);

    const found = await this.repository.find(itemId, by);
    if (!found) {
      await this.checkInAttempts.recordFailure(itemId, callerId);
      throw DomainError.notFound('Registration');
    }
    if (found.checkedInAt) {
      throw new DomainError(
        ErrorCode.AlreadyCheckedIn,
        `${found.displayName} checked in at ${formatVenueInstant(found.checkedInAt, timezone)}`,
      );
    }
    throw new DomainError(ErrorCode.StateConflict, `The registration is ${found.status}, not confirmed`);
  }

  private async timezoneOf(itemId: string): Promise<string> {
    const [item] = await this.items.viewsByIds([itemId]);
    if (!item) throw DomainError.notFound('Item');
    return item.timezone;
  }
}
