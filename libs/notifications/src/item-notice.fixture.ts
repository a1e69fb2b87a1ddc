import { Locale } from '@pavilion/core';
import { NotificationContext } from './templates';

// The item notice that the template and time tests render. Astana in 2017 was UTC+6: 09:00Z is 15:00 local.
export const ASTANA = 'Asia/Almaty';
export const LOCALES: Locale[] = ['en', 'ru', 'kk'];

export const noticeContext = (overrides: Partial<NotificationContext> = {}): NotificationContext => ({
  kind: 'registration_confirmed',
  locale: 'en',
  recipientName: 'Aigerim',
  timezone: ASTANA,
  item: {
    title: 'Round table on smart cities',
    venueName: 'EXPO 2017 Astana',
    pavilionName: 'Kazakhstan Pavilion',
    city: 'Astana',
    startsAt: new Date('2017-08-16T09:00:00Z'),
    endsAt: new Date('2017-08-16T10:30:00Z'),
    spaceName: 'Hall B',
  },
  ...overrides,
});

/** Where and when the item stood before it moved, for change notices. */
export const previous = {
  startsAt: new Date('2017-08-15T09:00:00Z'),
  endsAt: new Date('2017-08-15T10:30:00Z'),
  spaceName: 'Hall A',
};
