import { DomainError, ErrorCode } from '@pavilion/core';
import { OpeningHours } from '@pavilion/venues';
import { checkItemSchedule, ScheduleBounds } from './scheduling-rules';

const hours = (rows: Partial<OpeningHours>[]) =>
  rows.map((r, i) => ({
    id: String(i),
    pavilionId: 'p',
    weekday: null,
    onDate: null,
    opensMinute: 600,
    closesMinute: 1320,
    ...r,
  }));

const bounds: ScheduleBounds = {
  timezone: 'Asia/Almaty',
  programme: { startsOn: '2017-08-15', endsOn: '2017-08-16' },
  openingHours: hours([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday }))),
  space: { name: 'Main hall', capacity: 250 },
};

// 2017-08-15 was a Tuesday; Astana was UTC+6.
const at = (local: string) => new Date(`${local}:00+06:00`);
const item = (start: string, end: string, extra: Record<string, unknown> = {}) => ({
  startsAt: at(start),
  endsAt: at(end),
  capacity: 100,
  registrationOpensAt: null,
  registrationClosesAt: null,
  ...extra,
});

function refusal(fn: () => void): DomainError {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('the rule accepted it');
}

describe('checkItemSchedule', () => {
  it('accepts an item inside the dates, the hours and the space', () => {
    expect(() => checkItemSchedule(item('2017-08-15T10:00', '2017-08-15T22:00'), bounds)).not.toThrow();
  });

  it('requires the end after the start', () => {
    expect(refusal(() => checkItemSchedule(item('2017-08-15T12:00', '2017-08-15T12:00'), bounds)).code).toBe(
      ErrorCode.InvalidTimeRange,
    );
  });

  it('keeps items within the programme dates in venue time', () => {
    // 2017-08-14T23:30+06:00 is still the 14th locally although it is the 14th 17:30Z.
    expect(refusal(() => checkItemSchedule(item('2017-08-14T10:00', '2017-08-14T11:00'), bounds)).code).toBe(
      ErrorCode.OutsideProgrammeDates,
    );
    expect(refusal(() => checkItemSchedule(item('2017-08-17T10:00', '2017-08-17T11:00'), bounds)).code).toBe(
      ErrorCode.OutsideProgrammeDates,
    );
  });

  it('keeps items within one opening interval of their day', () => {
    expect(refusal(() => checkItemSchedule(item('2017-08-15T09:30', '2017-08-15T11:00'), bounds)).code).toBe(
      ErrorCode.OutsideOpeningHours,
    );
    expect(refusal(() => checkItemSchedule(item('2017-08-15T21:00', '2017-08-15T22:30'), bounds)).code).toBe(
      ErrorCode.OutsideOpeningHours,
    );
    const split = {
      ...bounds,
      openingHours: hours([
        { weekday: 2, opensMinute: 600, closesMinute: 780 },
        { weekday: 2, opensMinute: 840, closesMinute: 1080 },
      ]),
    };
    expect(() => checkItemSchedule(item('2017-08-15T14:00', '2017-08-15T15:00'), split)).not.toThrow();
    expect(refusal(() => checkItemSchedule(item('2017-08-15T12:30', '2017-08-15T14:30'), split)).code).toBe(
      ErrorCode.OutsideOpeningHours,
    );
  });

  it('lets the hours of a date replace those of its weekday, and allows closing at midnight', () => {
    const special = {
      ...bounds,
      openingHours: hours([{ weekday: 2 }, { onDate: '2017-08-15', opensMinute: 720, closesMinute: 1440 }]),
    };
    expect(refusal(() => checkItemSchedule(item('2017-08-15T10:00', '2017-08-15T11:00'), special)).code).toBe(
      ErrorCode.OutsideOpeningHours,
    );
    expect(() => checkItemSchedule(item('2017-08-15T23:00', '2017-08-16T00:00'), special)).not.toThrow();
  });

  it('caps capacity at the space', () => {
    const error = refusal(() =>
      checkItemSchedule(item('2017-08-15T10:00', '2017-08-15T11:00', { capacity: 251 }), bounds),
    );
    expect(error.code).toBe(ErrorCode.CapacityExceedsSpace);
    expect(error.details.errors).toEqual([{ field: 'capacity', message: expect.stringContaining('250') }]);
  });

  it('orders the registration window before the end of the item', () => {
    const closesFirst = item('2017-08-15T10:00', '2017-08-15T11:00', {
      registrationOpensAt: at('2017-08-10T10:00'),
      registrationClosesAt: at('2017-08-09T10:00'),
    });
    expect(refusal(() => checkItemSchedule(closesFirst, bounds)).details.errors?.[0].field).toBe(
      'registrationClosesAt',
    );
    const closesLate = item('2017-08-15T10:00', '2017-08-15T11:00', {
      registrationClosesAt: at('2017-08-15T12:00'),
    });
    expect(refusal(() => checkItemSchedule(closesLate, bounds)).details.errors?.[0].field).toBe(
      'registrationClosesAt',
    );
  });
});
