import { Injectable } from '@nestjs/common';
import ical, { ICalAlarmType, ICalCalendar, ICalEventStatus } from 'ical-generator';
import { Actor } from '@pavilion/core';
import { ItemResponseDto, ItemReadsService, ProgrammesService } from '@pavilion/programmes';
import { VenuesService } from '@pavilion/venues';
import { FavouritesRepository } from './favourites.repository';
import { RegistrationsRepository } from './registrations.repository';

const PRODUCT = { company: 'Pavilion', product: 'Pavilion programme', language: 'EN' };

/** An event of someone's agenda that is not a seat (a B2B meeting), given by the lib that owns it. */
export interface AgendaEvent {
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  stamp: Date;
  summary: string;
  description: string;
  location: string;
  cancelled: boolean;
  alarmsBeforeMinutes: number[];
}

/** RFC 5545 feeds: a programme's items, and one attendee's agenda. UIDs are stable per item; SEQUENCE is its version. */
@Injectable()
export class CalendarsService {
  constructor(
    private readonly items: ItemReadsService,
    private readonly programmes: ProgrammesService,
    private readonly venues: VenuesService,
    private readonly registrations: RegistrationsRepository,
    private readonly favourites: FavouritesRepository,
  ) {}

  async programmeFeed(programmeId: string, actor: Actor | null): Promise<string> {
    const programme = await this.programmes.get(programmeId, actor);
    const calendar = ical({ name: programme.title, prodId: PRODUCT });
    const placeOf = this.placeLookup();
    let cursor: string | undefined;
    do {
      const page = await this.items.list(programmeId, { limit: 200, cursor }, actor);
      for (const item of page.items)
        await this.addEvent(
          calendar,
          item,
          item.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
          [],
          placeOf,
        );
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return calendar.toString();
  }

  /**
   * The attendee's items: confirmed ones as CONFIRMED with an alarm per reminder offset, waitlisted ones as
   * TENTATIVE, and items they no longer attend as CANCELLED, so subscribed calendar apps remove them.
   */
  async agendaFeed(
    userId: string,
    ownOffsets: number[] | undefined,
    extra: AgendaEvent[] = [],
  ): Promise<string> {
    const rows = await this.registrations.forUser(userId, true);
    const byItem = new Map<string, (typeof rows)[number]>();
    for (const row of rows)
      if (!byItem.has(row.itemId) || row.status !== 'cancelled') byItem.set(row.itemId, row);
    const views = await this.items.viewsByIds([...byItem.keys()]);
    const calendar = ical({ name: 'My Pavilion agenda', prodId: PRODUCT });
    const placeOf = this.placeLookup();
    for (const item of views) {
      const status = (byItem.get(item.id) as (typeof rows)[number]).status;
      const eventStatus =
        item.status === 'cancelled' || status === 'cancelled'
          ? ICalEventStatus.CANCELLED
          : status === 'waitlisted'
            ? ICalEventStatus.TENTATIVE
            : ICalEventStatus.CONFIRMED;
      const offsets =
        eventStatus === ICalEventStatus.CONFIRMED
          ? (ownOffsets ?? (await this.programmes.requireProgramme(item.programmeId)).reminderOffsetsMinutes)
          : [];
      await this.addEvent(calendar, item, eventStatus, offsets, placeOf);
    }
    // Starred items the person holds no live seat for: events of their own (a UID apart from registrations').
    const live = new Set(rows.filter((r) => r.status !== 'cancelled').map((r) => r.itemId));
    const starred = (await this.favourites.itemIdsOf(userId)).filter((id) => !live.has(id));
    for (const item of await this.items.viewsByIds(starred)) {
      if (item.status === 'unplaced') continue;
      await this.addEvent(
        calendar,
        { ...item, id: `favourite-${item.id}` },
        item.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.TENTATIVE,
        [],
        placeOf,
      );
    }
    for (const e of extra)
      calendar.createEvent({
        id: e.uid,
        sequence: e.sequence,
        start: e.start,
        end: e.end,
        stamp: e.stamp,
        summary: e.summary,
        description: e.description,
        location: e.location,
        status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
        alarms: (e.cancelled ? [] : e.alarmsBeforeMinutes).map((minutes) => ({
          type: ICalAlarmType.display,
          triggerBefore: minutes * 60,
          description: e.summary,
        })),
      });
    return calendar.toString();
  }

  private async addEvent(
    calendar: ICalCalendar,
    item: ItemResponseDto,
    status: ICalEventStatus,
    offsets: number[],
    placeOf: (pavilionId: string) => Promise<string>,
  ): Promise<void> {
    // Unplaced items have no time or place, so no event.
    if (!item.space || !item.startsAt || !item.endsAt) return;
    const place = await placeOf(item.space.pavilionId);
    calendar.createEvent({
      id: `${item.id}@pavilion`,
      sequence: item.version,
      start: new Date(item.startsAt),
      end: new Date(item.endsAt),
      stamp: new Date(item.updatedAt),
      summary: item.title,
      description:
        [item.description, item.speakers.map((s) => s.name).join(', ')].filter(Boolean).join('\n\n') || null,
      location: `${item.space.name}, ${place}`,
      status,
      alarms: offsets.map((minutes) => ({
        type: ICalAlarmType.display,
        triggerBefore: minutes * 60,
        description: item.title,
      })),
    });
  }

  /** "Pavilion, Venue, City" per pavilion, looked up once per feed. */
  private placeLookup(): (pavilionId: string) => Promise<string> {
    const places = new Map<string, Promise<string>>();
    return (pavilionId) => {
      let place = places.get(pavilionId);
      if (!place) {
        place = this.venues.getPavilion(pavilionId, true).then(async (pavilion) => {
          const venue = await this.venues.getVenue(pavilion.venueId, true);
          return `${pavilion.name}, ${venue.name}, ${venue.city}`;
        });
        places.set(pavilionId, place);
      }
      return place;
    };
  }
}
