import { DomainError, ErrorCode, FieldError, toVenueLocal } from '@pavilion/core';
import { isWithinOpeningHours, OpeningHours } from '@pavilion/venues';

export interface ItemSchedule {
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  registrationOpensAt: Date | null;
  registrationClosesAt: Date | null;
}

export interface ScheduleBounds {
  timezone: string;
  programme: { startsOn: string; endsOn: string };
  openingHours: OpeningHours[];
  space: { name: string; capacity: number };
}

/**
 * The bounds an item must keep (API.md, Scheduling rules). Overlaps are not checked here: PostgreSQL's
 * exclusion constraints decide those, so that two concurrent writers can never both win.
 */
export function checkItemSchedule(item: ItemSchedule, bounds: ScheduleBounds): void {
  const fail = (code: ErrorCode, message: string, errors: FieldError[]) => {
    throw new DomainError(code, message, { errors });
  };
  if (item.endsAt.getTime() <= item.startsAt.getTime()) {
    fail(ErrorCode.InvalidTimeRange, 'endsAt must be later than startsAt', [
      { field: 'endsAt', message: 'must be later than startsAt' },
    ]);
  }

  const start = toVenueLocal(item.startsAt, bounds.timezone);
  const end = toVenueLocal(new Date(item.endsAt.getTime() - 1), bounds.timezone);
  const { startsOn, endsOn } = bounds.programme;
  if (start.date < startsOn || end.date > endsOn) {
    fail(
      ErrorCode.OutsideProgrammeDates,
      `The item must lie within the programme's dates, ${startsOn} to ${endsOn} (venue time)`,
      [
        {
          field: start.date < startsOn ? 'startsAt' : 'endsAt',
          message: `must lie within ${startsOn} – ${endsOn}`,
        },
      ],
    );
  }

  if (!isWithinOpeningHours(bounds.openingHours, start, toVenueLocal(item.endsAt, bounds.timezone))) {
    fail(
      ErrorCode.OutsideOpeningHours,
      `The pavilion is not open for the whole item on ${start.date} (venue time)`,
      [
        {
          field: 'startsAt',
          message: "the item must lie within one of the pavilion's opening intervals that day",
        },
      ],
    );
  }

  if (item.capacity > bounds.space.capacity) {
    fail(
      ErrorCode.CapacityExceedsSpace,
      `capacity ${item.capacity} exceeds ${bounds.space.name}'s ${bounds.space.capacity} seats`,
      [{ field: 'capacity', message: `must be at most ${bounds.space.capacity}, the space's capacity` }],
    );
  }

  const { registrationOpensAt: opens, registrationClosesAt: closes } = item;
  if (opens && closes && closes.getTime() <= opens.getTime()) {
    fail(ErrorCode.ValidationFailed, 'registrationClosesAt must be later than registrationOpensAt', [
      { field: 'registrationClosesAt', message: 'must be later than registrationOpensAt' },
    ]);
  }
  if (closes && closes.getTime() > item.endsAt.getTime()) {
    fail(ErrorCode.ValidationFailed, 'registrationClosesAt must not be later than the end of the item', [
      { field: 'registrationClosesAt', message: 'must not be later than endsAt' },
    ]);
  }
  if (opens && opens.getTime() >= item.endsAt.getTime()) {
    fail(ErrorCode.ValidationFailed, 'registrationOpensAt must be before the item ends', [
      { field: 'registrationOpensAt', message: 'must be before endsAt' },
    ]);
  }
}
