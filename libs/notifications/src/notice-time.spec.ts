import { formatWhen, zoneLabel } from './notice-time';
import { ASTANA, LOCALES } from './item-notice.fixture';

describe('formatWhen', () => {
  it('renders en in the house style, in the venue zone (Astana 2017 = UTC+6)', () => {
    expect(formatWhen(new Date('2017-08-15T09:00:00Z'), 'en', ASTANA)).toBe('Tue 15 Aug 2017, 15:00');
  });

  it.each(LOCALES)('shows 09:00Z as 15:00 in Astana 2017 (%s)', (locale) => {
    const s = formatWhen(new Date('2017-08-15T09:00:00Z'), locale, ASTANA);
    expect(s).toContain('15:00');
    expect(s).toContain('2017');
    expect(s).not.toContain('09:00');
  });

  it('uses the locale’s month and weekday names', () => {
    const d = new Date('2017-08-15T09:00:00Z');
    // ICU puts a narrow no-break space (U+202F) before "г." and "ж."; compare with spaces normalised.
    expect(formatWhen(d, 'ru', ASTANA).replace(/\s/gu, ' ')).toBe('вт, 15 авг. 2017 г., 15:00');
    expect(formatWhen(d, 'kk', ASTANA).replace(/\s/gu, ' ')).toBe('2017 ж. 15 там., сс, 15:00');
  });

  it.each(LOCALES)('shows 2025-06-10T05:00Z as 10:00 in Astana (UTC+5 since 2024) (%s)', (locale) => {
    expect(formatWhen(new Date('2025-06-10T05:00:00Z'), locale, ASTANA)).toContain('10:00');
  });

  it('uses the given zone, not the host one', () => {
    expect(formatWhen(new Date('2025-06-10T05:00:00Z'), 'en', ASTANA)).toBe('Tue 10 Jun 2025, 10:00');
    expect(formatWhen(new Date('2025-06-10T05:00:00Z'), 'en', 'Europe/Moscow')).toBe(
      'Tue 10 Jun 2025, 08:00',
    );
  });

  it('uses a 24-hour clock with a leading zero', () => {
    expect(formatWhen(new Date('2017-08-15T18:05:00Z'), 'en', ASTANA)).toBe('Wed 16 Aug 2017, 00:05');
    expect(formatWhen(new Date('2017-08-15T12:30:00Z'), 'ru', ASTANA)).toContain('18:30');
    expect(formatWhen(new Date('2017-08-15T03:30:00Z'), 'kk', ASTANA)).toContain('09:30');
  });
});

describe('zoneLabel', () => {
  it('says the zone as an offset from UTC at that instant', () => {
    expect(zoneLabel(new Date('2017-08-16T09:00:00Z'), ASTANA)).toBe('UTC+6');
    expect(zoneLabel(new Date('2025-08-16T09:00:00Z'), ASTANA)).toBe('UTC+5');
    expect(zoneLabel(new Date('2025-08-16T09:00:00Z'), 'Asia/Kolkata')).toBe('UTC+5:30');
    expect(zoneLabel(new Date('2025-01-16T09:00:00Z'), 'America/New_York')).toBe('UTC-5');
    expect(zoneLabel(new Date('2025-01-16T09:00:00Z'), 'UTC')).toBe('UTC');
  });
});
