import { Locale } from '@pavilion/core';
import { ItemNoticeKind } from './notice-kinds';
import { renderNotification } from './templates';
import { LOCALES, noticeContext as ctx, previous } from './item-notice.fixture';

const KINDS: ItemNoticeKind[] = [
  'registration_confirmed',
  'waitlisted',
  'waitlist_promoted',
  'registration_cancelled',
  'reminder',
  'item_rescheduled',
  'item_cancelled',
  'item_displaced',
  'programme_unpublished',
];

describe('item_displaced (to the organizers)', () => {
  it.each(LOCALES)('names the item, where it stands and why it cannot stay (%s)', (locale) => {
    const why = 'Hall B is closed 16 Aug 13:00 – 21:00: ceiling repairs';
    const n = renderNotification(ctx({ kind: 'item_displaced', locale, displacedBy: [why] }));
    expect(n.subject).toContain('Round table on smart cities');
    expect(n.subject).toContain('Hall B');
    expect(n.inApp).toContain(why);
    expect(n.inApp).toContain('15:00');
  });
});

describe('to a speaker of the item, and of an unpublished programme', () => {
  it.each(LOCALES)(
    'tells a speaker it is the item they speak at that moved or is cancelled (%s)',
    (locale) => {
      const moved = renderNotification(ctx({ kind: 'item_rescheduled', locale, previous, speaker: true }));
      const registrant = renderNotification(ctx({ kind: 'item_rescheduled', locale, previous }));
      expect(moved.subject).toBe(registrant.subject);
      expect(moved.inApp).not.toBe(registrant.inApp);
      expect(moved.inApp).toContain('Hall A');
      const cancelled = renderNotification(ctx({ kind: 'item_cancelled', locale, speaker: true }));
      expect(cancelled.inApp).not.toBe(renderNotification(ctx({ kind: 'item_cancelled', locale })).inApp);
    },
  );

  it('says the registration stays and reminders wait while the programme is unpublished', () => {
    const n = renderNotification(ctx({ kind: 'programme_unpublished' }));
    expect(n.subject).toBe('Taken off the published programme: Round table on smart cities');
    expect(n.inApp).toContain('Your registration stays as it is');
    expect(n.inApp).toContain('15:00–16:30 (UTC+6)');
  });
});

describe('renderNotification — en', () => {
  it('registration_confirmed', () => {
    const r = renderNotification(ctx());
    expect(r.subject).toBe('Confirmed: Round table on smart cities, Wed 16 Aug 2017, 15:00 (UTC+6)');
    expect(r.text).toBe(
      'Hello Aigerim,\n\n' +
        'Your registration is confirmed.\n\n' +
        'Round table on smart cities\n' +
        'When: Wed 16 Aug 2017, 15:00–16:30 (UTC+6)\n' +
        'Where: Hall B, Kazakhstan Pavilion, EXPO 2017 Astana, Astana\n',
    );
  });

  it('waitlisted, with the position', () => {
    const r = renderNotification(ctx({ kind: 'waitlisted', waitlistPosition: 3 }));
    expect(r.subject).toBe('Waitlisted (#3): Round table on smart cities');
    expect(r.text).toContain('on the waiting list at position 3.');
    expect(r.text).toContain('When: Wed 16 Aug 2017, 15:00–16:30 (UTC+6)');
  });

  it('waitlisted without a known position', () => {
    const r = renderNotification(ctx({ kind: 'waitlisted' }));
    expect(r.subject).toBe('Waitlisted: Round table on smart cities');
    expect(r.text).not.toContain('undefined');
  });

  it('waitlist_promoted', () => {
    const r = renderNotification(ctx({ kind: 'waitlist_promoted' }));
    expect(r.subject).toBe('A seat is yours: Round table on smart cities, Wed 16 Aug 2017, 15:00 (UTC+6)');
    expect(r.text).toContain('A seat has become free and it is yours');
  });

  it('registration_cancelled', () => {
    const r = renderNotification(ctx({ kind: 'registration_cancelled' }));
    expect(r.subject).toBe('Registration cancelled: Round table on smart cities');
    expect(r.text).toContain('Your registration has been cancelled.');
  });

  it('reminder, ending with the unsubscribe link', () => {
    const r = renderNotification(
      ctx({ kind: 'reminder', offsetMinutes: 60, unsubscribeUrl: 'https://pavilion.example/u/abc' }),
    );
    expect(r.subject).toBe(
      'Reminder: Round table on smart cities starts in 1 hour (Wed 16 Aug 2017, 15:00 (UTC+6), Hall B)',
    );
    expect(r.text).toContain('your event starts in 1 hour.');
    expect(r.text.trimEnd().endsWith('To stop reminders: https://pavilion.example/u/abc')).toBe(true);
  });

  it('in-app text: the letter without its greeting and unsubscribe link, the same for every recipient', () => {
    const url = 'https://pavilion.example/u/abc';
    const a = renderNotification(ctx({ kind: 'reminder', offsetMinutes: 60, unsubscribeUrl: url }));
    const b = renderNotification(
      ctx({ kind: 'reminder', offsetMinutes: 60, unsubscribeUrl: `${url}d`, recipientName: 'Dana' }),
    );
    expect(a.inApp).toBe(
      'A reminder: your event starts in 1 hour.\n\n' +
        'Round table on smart cities\n' +
        'When: Wed 16 Aug 2017, 15:00–16:30 (UTC+6)\n' +
        'Where: Hall B, Kazakhstan Pavilion, EXPO 2017 Astana, Astana',
    );
    expect(b.inApp).toBe(a.inApp);
    expect(a.text).toBe(`Hello Aigerim,\n\n${a.inApp}\n\nTo stop reminders: ${url}\n`);
  });

  it('reminder without an unsubscribe link has no unsubscribe line', () => {
    const r = renderNotification(ctx({ kind: 'reminder', offsetMinutes: 60 }));
    expect(r.text).not.toContain('To stop reminders');
  });

  it.each([
    [1440, 'in 1 day'],
    [2880, 'in 2 days'],
    [60, 'in 1 hour'],
    [120, 'in 2 hours'],
    [30, 'in 30 minutes'],
    [1, 'in 1 minute'],
    [90, 'in 90 minutes'],
  ])('reminder offset %i → "%s"', (offsetMinutes, words) => {
    expect(renderNotification(ctx({ kind: 'reminder', offsetMinutes })).subject).toContain(
      `starts ${words} (`,
    );
  });

  it('item_rescheduled: subject says the new time and place; body has both old and new', () => {
    const r = renderNotification(ctx({ kind: 'item_rescheduled', previous }));
    expect(r.subject).toBe('Moved: Round table on smart cities — now Wed 16 Aug 2017, 15:00 (UTC+6), Hall B');
    expect(r.text).toContain('Was: Tue 15 Aug 2017, 15:00–16:30 (UTC+6), Hall A\n');
    expect(r.text).toContain('Now: Wed 16 Aug 2017, 15:00–16:30 (UTC+6), Hall B\n');
    expect(r.text).toContain('Where: Hall B, Kazakhstan Pavilion, EXPO 2017 Astana, Astana');
  });

  it('item_cancelled includes the organizer’s reason', () => {
    const r = renderNotification(ctx({ kind: 'item_cancelled', cancelReason: 'The speaker is ill.' }));
    expect(r.subject).toBe('Cancelled: Round table on smart cities');
    expect(r.text).toContain('Unfortunately, the event has been cancelled.');
    expect(r.text).toContain('Reason given by the organizer: The speaker is ill.');
  });

  it('shows the end with its own date when it falls on another day', () => {
    const item = { ...ctx().item, endsAt: new Date('2017-08-16T19:00:00Z') };
    expect(renderNotification(ctx({ item })).text).toContain(
      'When: Wed 16 Aug 2017, 15:00 – Thu 17 Aug 2017, 01:00 (UTC+6)',
    );
  });

  it('keeps subjects on one line even if the title has line breaks', () => {
    const item = { ...ctx().item, title: 'Round table\r\non smart cities' };
    expect(renderNotification(ctx({ kind: 'item_cancelled', item })).subject).toBe(
      'Cancelled: Round table on smart cities',
    );
  });
});

describe('renderNotification — every kind in every locale', () => {
  const cases = LOCALES.flatMap((locale) => KINDS.map((kind) => [locale, kind] as const));
  const greeting: Record<Locale, string> = {
    en: 'Hello Aigerim,',
    ru: 'Здравствуйте, Aigerim!',
    kk: 'Сәлеметсіз бе, Aigerim!',
  };

  it.each(cases)('%s %s: greets by name, one-line subject, title and venue-zone time', (locale, kind) => {
    const r = renderNotification(
      ctx({
        locale,
        kind,
        previous,
        waitlistPosition: 3,
        cancelReason: 'reason',
        offsetMinutes: 60,
        unsubscribeUrl: 'https://x.example/u',
      }),
    );
    expect(r.text.startsWith(`${greeting[locale]}\n\n`)).toBe(true);
    expect(r.subject).toContain('Round table on smart cities');
    expect(r.subject).not.toMatch(/[\r\n]/);
    expect(r.text).toContain('Round table on smart cities');
    expect(r.text).toContain('15:00–16:30');
    expect(r.text).toContain('Kazakhstan Pavilion, EXPO 2017 Astana, Astana');
    expect(r.text).not.toContain('undefined');
    expect(r.text.includes('https://x.example/u')).toBe(kind === 'reminder');
    expect(r.text.includes('reason')).toBe(kind === 'item_cancelled');
  });
});

describe('letters: the check-in code', () => {
  it.each([
    ['en', 'Your check-in code: K7Q2M9XD'],
    ['ru', 'Ваш код для входа: K7Q2M9XD'],
    ['kk', 'Кіру кодыңыз: K7Q2M9XD'],
  ] as const)('gives a confirmation its check-in code in the reader’s language (%s)', (locale, line) => {
    const r = renderNotification(ctx({ locale, checkInCode: 'K7Q2M9XD' }));
    expect(r.text).toContain(line);
    // The code is the person's: it stays out of the in-app text that a batch shares.
    expect(r.inApp).not.toContain('K7Q2M9XD');
  });
});
