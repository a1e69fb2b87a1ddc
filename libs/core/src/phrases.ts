// Words that messages (libs/notifications) and the public site both say, in each language Pavilion speaks.
// One table, so a time or a status reads the same in an e-mail and on the page that it links to.

export const LOCALES = ['en', 'ru', 'kk'] as const;
export type Locale = (typeof LOCALES)[number];

export interface CommonPhrases {
  intlLocale: string;
  quote: (title: string) => string;
  whenLabel: string;
  whereLabel: string;
  wasLabel: string;
  nowLabel: string;
  confirmed: string;
  waitlisted: (position?: number) => string;
  cancelled: string;
  moved: string;
  itemTypes: Record<string, string>;
}

export const COMMON_PHRASES: Record<Locale, CommonPhrases> = {
  en: {
    intlLocale: 'en-GB',
    quote: (t) => t,
    whenLabel: 'When',
    whereLabel: 'Where',
    wasLabel: 'Was',
    nowLabel: 'Now',
    confirmed: 'Confirmed',
    waitlisted: (p) => (p === undefined ? 'Waitlisted' : `Waitlisted (#${p})`),
    cancelled: 'Cancelled',
    moved: 'Moved',
    itemTypes: {
      regional_day: 'Regional day',
      opening_ceremony: 'Opening ceremony',
      business_forum: 'Business forum',
      conference: 'Conference',
      round_table: 'Round table',
      b2b_meetings: 'Meetings with business',
      negotiations: 'Negotiations',
      presentation: 'Presentation',
      exhibition: 'Exhibition',
      other: 'Other',
    },
  },
  ru: {
    intlLocale: 'ru-RU',
    quote: (t) => `«${t}»`,
    whenLabel: 'Когда',
    whereLabel: 'Где',
    wasLabel: 'Было',
    nowLabel: 'Теперь',
    confirmed: 'Подтверждено',
    waitlisted: (p) => (p === undefined ? 'Лист ожидания' : `Лист ожидания (№${p})`),
    cancelled: 'Отменено',
    moved: 'Перенесено',
    itemTypes: {
      regional_day: 'Региональный день',
      opening_ceremony: 'Церемония открытия',
      business_forum: 'Бизнес-форум',
      conference: 'Конференция',
      round_table: 'Круглый стол',
      b2b_meetings: 'Встречи с бизнесом',
      negotiations: 'Переговоры',
      presentation: 'Презентация',
      exhibition: 'Выставка',
      other: 'Другое',
    },
  },
  kk: {
    intlLocale: 'kk-KZ',
    quote: (t) => `«${t}»`,
    whenLabel: 'Уақыты',
    whereLabel: 'Өтетін орны',
    wasLabel: 'Бұрын',
    nowLabel: 'Енді',
    confirmed: 'Расталды',
    waitlisted: (p) => (p === undefined ? 'Күту тізімі' : `Күту тізімі (№${p})`),
    cancelled: 'Болдырылмады',
    moved: 'Ауыстырылды',
    itemTypes: {
      regional_day: 'Өңір күні',
      opening_ceremony: 'Ашылу салтанаты',
      business_forum: 'Бизнес-форум',
      conference: 'Конференция',
      round_table: 'Дөңгелек үстел',
      b2b_meetings: 'Бизнеспен кездесулер',
      negotiations: 'Келіссөздер',
      presentation: 'Таныстырылым',
      exhibition: 'Көрме',
      other: 'Басқа',
    },
  },
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
