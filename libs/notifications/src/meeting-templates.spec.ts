import { Locale } from '@pavilion/core';
import { renderLetter } from './templates';
import { MeetingNoticeContext, renderMeetingNotice } from './meeting-templates';
import { MEETING_NOTICE_KINDS } from './notice-kinds';

// Astana in 2017 was UTC+6: 09:20Z is 15:20 local.
const ctx = (overrides: Partial<MeetingNoticeContext> = {}): MeetingNoticeContext => ({
  kind: 'meeting_scheduled',
  locale: 'en',
  timezone: 'Asia/Almaty',
  session: {
    title: 'Meetings with business',
    startsAt: new Date('2017-08-15T09:00:00Z'),
    endsAt: new Date('2017-08-15T12:00:00Z'),
    spaceName: 'B2B zone',
    pavilionName: 'Russian Federation Pavilion',
    venueName: 'EXPO 2017 Astana',
    city: 'Astana',
  },
  counterpart: { name: 'Dana Abenova', company: 'Astana Foods' },
  meeting: { startsAt: new Date('2017-08-15T09:20:00Z'), endsAt: new Date('2017-08-15T09:40:00Z'), table: 7 },
  ...overrides,
});
const LOCALES: Locale[] = ['en', 'ru', 'kk'];

describe('meeting notices', () => {
  it('scheduled: the counterpart, the slot in venue time with its zone, the table and the city', () => {
    const { subject, inApp } = renderMeetingNotice(ctx());
    expect(subject).toBe('Meeting with Astana Foods: Tue 15 Aug 2017, 15:20 (UTC+6), table 7');
    expect(inApp).toBe(
      'You have a B2B meeting with Dana Abenova (Astana Foods).\n\n' +
        'Meetings with business\nWhen: Tue 15 Aug 2017, 15:20–15:40 (UTC+6)\nTable: 7\n' +
        'Where: B2B zone, Russian Federation Pavilion, EXPO 2017 Astana, Astana',
    );
  });

  it('moved with the session says so', () => {
    expect(renderMeetingNotice(ctx({ moved: true })).subject).toBe(
      'Meeting moved: Astana Foods — now Tue 15 Aug 2017, 15:20 (UTC+6), table 7',
    );
  });

  it('a request names the sender, the session time and their message', () => {
    const { subject, inApp } = renderMeetingNotice(
      ctx({ kind: 'meeting_request', meeting: undefined, message: 'Let us talk about dairy' }),
    );
    expect(subject).toBe('Meeting request from Astana Foods: Meetings with business');
    expect(inApp).toContain('When: Tue 15 Aug 2017, 15:00–18:00 (UTC+6)');
    expect(inApp).toContain('Their message: Let us talk about dairy');
  });

  it.each(['accepted', 'declined', 'withdrawn'] as const)('an answer (%s) says which', (answer) => {
    const { subject } = renderMeetingNotice(
      ctx({ kind: 'meeting_request_answered', meeting: undefined, answer }),
    );
    expect(subject).toBe(`Meeting request ${answer} by Astana Foods: Meetings with business`);
  });

  it('a cancellation gives the reason', () => {
    const { subject, inApp } = renderMeetingNotice(
      ctx({ kind: 'meeting_cancelled', cancelReason: 'participant_left' }),
    );
    expect(subject).toBe('Meeting cancelled: Astana Foods, Tue 15 Aug 2017, 15:20 (UTC+6)');
    expect(inApp).toContain('Astana Foods has left the session.');
  });

  it('a reminder says how soon, and its letter ends with the unsubscribe link', () => {
    const notice = renderMeetingNotice(ctx({ kind: 'meeting_reminder', offsetMinutes: 60 }));
    expect(notice.subject).toBe(
      'Reminder: meeting with Astana Foods starts in 1 hour (Tue 15 Aug 2017, 15:20 (UTC+6), table 7)',
    );
    const letter = renderLetter(notice, 'meeting_reminder', 'en', {
      recipientName: 'Ivan',
      unsubscribeUrl: 'https://pavilion.example/u/abc',
    });
    expect(letter.startsWith('Hello Ivan,\n\n')).toBe(true);
    expect(letter.trimEnd().endsWith('To stop reminders: https://pavilion.example/u/abc')).toBe(true);
  });

  it('ru and kk: translated, times in venue time, the table named', () => {
    const ru = renderMeetingNotice(ctx({ locale: 'ru' })).subject;
    expect(ru.startsWith('Встреча с Astana Foods: ')).toBe(true);
    expect(ru).toContain('15:20');
    expect(ru.endsWith(', стол 7')).toBe(true);
    const kk = renderMeetingNotice(ctx({ locale: 'kk', kind: 'meeting_reminder', offsetMinutes: 60 }));
    expect(kk.subject).toContain('1 сағаттан кейін басталады');
    expect(kk.subject).toContain('7-үстел');
    expect(
      renderMeetingNotice(ctx({ locale: 'ru', kind: 'meeting_reminder', offsetMinutes: 1440 })).subject,
    ).toContain('через 1 день');
  });

  it.each(LOCALES.flatMap((l) => MEETING_NOTICE_KINDS.map((k) => [l, k] as const)))(
    '%s %s: a one-line subject, the session title, no placeholder left',
    (locale, kind) => {
      const { subject, inApp } = renderMeetingNotice(
        ctx({
          locale,
          kind,
          answer: 'declined',
          cancelReason: 'clash',
          offsetMinutes: 15,
          title: undefined,
        } as never),
      );
      expect(subject).not.toMatch(/[\r\n]|undefined|\[object/);
      expect(inApp).not.toMatch(/undefined|\[object/);
      expect(inApp).toContain('Meetings with business');
      expect(inApp).toContain('Astana Foods');
    },
  );
});
