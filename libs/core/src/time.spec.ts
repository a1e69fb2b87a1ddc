import { DateTime } from 'luxon';
import { DomainError, ErrorCode } from './domain-error';
import { formatVenueInstant, parseVenueInstant, parseWallClock, toVenueLocal, venueDayRange } from './time';

describe('venue time', () => {
  it('reads a wall-clock time with the zone rules of its date (Astana: +06:00 in 2017, +05:00 since 2024)', () => {
    expect(parseVenueInstant('2017-08-15T10:00', 'Asia/Almaty', 'startsAt').toISOString()).toBe(
      '2017-08-15T04:00:00.000Z',
    );
    expect(parseVenueInstant('2025-08-15T10:00', 'Asia/Almaty', 'startsAt').toISOString()).toBe(
      '2025-08-15T05:00:00.000Z',
    );
  });

  it('takes input with an offset or Z as that instant', () => {
    expect(parseVenueInstant('2017-08-15T10:00+03:00', 'Asia/Almaty', 'x').toISOString()).toBe(
      '2017-08-15T07:00:00.000Z',
    );
    expect(parseVenueInstant('2017-08-15T04:00:00Z', 'Asia/Almaty', 'x').toISOString()).toBe(
      '2017-08-15T04:00:00.000Z',
    );
  });

  it('formats instants with the venue offset of that date', () => {
    expect(formatVenueInstant(new Date('2017-08-15T04:00:00Z'), 'Asia/Almaty')).toBe(
      '2017-08-15T10:00:00+06:00',
    );
    expect(formatVenueInstant(new Date('2025-08-15T05:00:00Z'), 'Asia/Almaty')).toBe(
      '2025-08-15T10:00:00+05:00',
    );
  });

  it('refuses wall times the zone skips or repeats', () => {
    const attempt = (value: string) => {
      try {
        parseVenueInstant(value, 'Europe/Berlin', 'startsAt');
      } catch (e) {
        return e as DomainError;
      }
      throw new Error('accepted');
    };
    expect(attempt('2025-03-30T02:30').code).toBe(ErrorCode.InvalidWallTime);
    expect(attempt('2025-03-30T02:30').message).toMatch(/does not exist/);
    expect(attempt('2025-10-26T02:30').message).toMatch(/ambiguous/);
    expect(parseVenueInstant('2025-10-26T02:30+01:00', 'Europe/Berlin', 'x').toISOString()).toBe(
      '2025-10-26T01:30:00.000Z',
    );
  });

  it('refuses dates that do not exist and malformed text', () => {
    expect(() => parseVenueInstant('2017-02-30T10:00', 'Asia/Almaty', 'startsAt')).toThrow(
      /not a real date-time/,
    );
    expect(() => parseVenueInstant('tomorrow', 'Asia/Almaty', 'startsAt')).toThrow(/ISO 8601/);
    expect(() => parseVenueInstant('2017-08-15T25:00', 'Asia/Almaty', 'startsAt')).toThrow(DomainError);
  });

  it('knows the venue-local day and clock', () => {
    expect(toVenueLocal(new Date('2017-08-14T19:30:00Z'), 'Asia/Almaty')).toEqual({
      date: '2017-08-15',
      minutes: 90,
      weekday: 2,
    });
    const day = venueDayRange('2017-08-15', 'Asia/Almaty');
    expect(day.start.toISOString()).toBe('2017-08-14T18:00:00.000Z');
    expect(day.end.toISOString()).toBe('2017-08-15T18:00:00.000Z');
  });

  it('parses opening-hour clocks', () => {
    expect(parseWallClock('09:30')).toBe(570);
    expect(parseWallClock('24:00')).toBe(1440);
    expect(parseWallClock('24:30')).toBeNull();
    expect(parseWallClock('9:30')).toBeNull();
  });
});

describe('formatVenueInstant', () => {
  it('writes what luxon writes, across zones, years and DST transitions', () => {
    const zones = [
      'Asia/Almaty',
      'Europe/Berlin',
      'America/New_York',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'UTC',
    ];
    let ms = Date.UTC(1990, 0, 1);
    const stop = Date.UTC(2035, 0, 1);
    let seen = 0;
    while (ms < stop) {
      for (const zone of zones) {
        const at = new Date(ms);
        expect(formatVenueInstant(at, zone)).toBe(
          DateTime.fromJSDate(at, { zone }).toISO({ suppressMilliseconds: true }),
        );
        seen += 1;
      }
      ms += 53 * 3_600_000 + 17 * 60_000 + 123; // strides across hours, minutes and milliseconds
    }
    expect(seen).toBeGreaterThan(40_000);
  });
});
