// The phrase tables of Pavilion's own notices (registrations, reminders, item changes) in each language;
// templates.ts puts them together. B2B meeting notices keep theirs in meeting-templates.ts.

import { COMMON_PHRASES, CommonPhrases, Locale } from '@pavilion/core';
import type { ItemNoticeKind } from './notice-kinds';

export type DurationUnit = 'minute' | 'hour' | 'day';

/** The notices a speaker of an item gets. */
export type SpeakerNoticeKind = 'item_rescheduled' | 'item_cancelled';

/** What a subject or lead line may use; `title` is already quoted the way the language wants it. */
export interface Parts {
  title: string;
  when: string; // start, formatWhen
  space: string;
  position?: number;
  startsIn?: string; // reminder: "in 1 hour" / "через 1 час" / "1 сағаттан кейін"
}

interface Phrases {
  intlLocale: string;
  quote: (title: string) => string;
  greeting: (name: string) => string;
  whenLabel: string;
  whereLabel: string;
  wasLabel: string;
  nowLabel: string;
  /** "in 1 hour", with the unit already chosen and the number formatted. */
  startsIn: (n: number, unit: DurationUnit) => string;
  subject: Record<ItemNoticeKind, (p: Parts) => string>;
  lead: Record<ItemNoticeKind, (p: Parts) => string>;
  /** To a speaker of the item, instead of `lead`: it is their item that moved or is off. */
  speakerLead: Record<SpeakerNoticeKind, () => string>;
  reason: (reason: string) => string;
  displacedBecause: string;
  unsubscribe: (url: string) => string;
  /** The confirmation's check-in code, said as text; the letter also carries it as a QR image. */
  checkIn: (code: string) => string;
}

const enPlural = new Intl.PluralRules('en');
const ruPlural = new Intl.PluralRules('ru');

const EN_UNITS: Record<DurationUnit, Record<'one' | 'other', string>> = {
  minute: { one: 'minute', other: 'minutes' },
  hour: { one: 'hour', other: 'hours' },
  day: { one: 'day', other: 'days' },
};

// Accusative after "через": через 1 минуту / 2 минуты / 5 минут.
const RU_UNITS: Record<DurationUnit, Record<'one' | 'few' | 'many' | 'other', string>> = {
  minute: { one: 'минуту', few: 'минуты', many: 'минут', other: 'минуты' },
  hour: { one: 'час', few: 'часа', many: 'часов', other: 'часа' },
  day: { one: 'день', few: 'дня', many: 'дней', other: 'дня' },
};

// Kazakh: the noun after a numeral stays singular; ablative + "кейін" ("after").
const KK_UNITS: Record<DurationUnit, string> = { minute: 'минуттан', hour: 'сағаттан', day: 'күннен' };

function ruForm(n: number, forms: Record<'one' | 'few' | 'many' | 'other', string>): string {
  const category = ruPlural.select(n);
  return category === 'one' || category === 'few' || category === 'many' ? forms[category] : forms.other;
}

/** The labels messages share with the public site (libs/core/src/phrases.ts). */
function shared(c: CommonPhrases) {
  const { intlLocale, quote, whenLabel, whereLabel, wasLabel, nowLabel } = c;
  return { intlLocale, quote, whenLabel, whereLabel, wasLabel, nowLabel };
}

export const PHRASES: Record<Locale, Phrases> = {
  en: {
    ...shared(COMMON_PHRASES.en),
    greeting: (name) => `Hello ${name},`,
    startsIn: (n, unit) => `in ${n} ${EN_UNITS[unit][enPlural.select(n) === 'one' ? 'one' : 'other']}`,
    subject: {
      registration_confirmed: (p) => `Confirmed: ${p.title}, ${p.when}`,
      waitlisted: (p) =>
        p.position === undefined ? `Waitlisted: ${p.title}` : `Waitlisted (#${p.position}): ${p.title}`,
      waitlist_promoted: (p) => `A seat is yours: ${p.title}, ${p.when}`,
      registration_cancelled: (p) => `Registration cancelled: ${p.title}`,
      reminder: (p) =>
        p.startsIn === undefined
          ? `Reminder: ${p.title} (${p.when}, ${p.space})`
          : `Reminder: ${p.title} starts ${p.startsIn} (${p.when}, ${p.space})`,
      item_rescheduled: (p) => `Moved: ${p.title} — now ${p.when}, ${p.space}`,
      item_cancelled: (p) => `Cancelled: ${p.title}`,
      item_displaced: (p) => `Displaced: ${p.title} can no longer take place ${p.when}, ${p.space}`,
      programme_unpublished: (p) => `Taken off the published programme: ${p.title}`,
    },
    lead: {
      registration_confirmed: () => 'Your registration is confirmed.',
      waitlisted: (p) =>
        p.position === undefined
          ? 'The event is full, so you are on the waiting list. We will let you know if a seat becomes free.'
          : `The event is full, so you are on the waiting list at position ${p.position}. ` +
            'We will let you know if a seat becomes free.',
      waitlist_promoted: () => 'A seat has become free and it is yours: your registration is confirmed.',
      registration_cancelled: () => 'Your registration has been cancelled.',
      reminder: (p) =>
        p.startsIn === undefined
          ? 'A reminder about your event.'
          : `A reminder: your event starts ${p.startsIn}.`,
      item_rescheduled: () => 'The event has been moved.',
      item_cancelled: () => 'Unfortunately, the event has been cancelled.',
      item_displaced: () =>
        'This item of your programme can no longer take place where it stands. It keeps its place until ' +
        'you move it, by hand or with a scheduling run (scope "all"); its registrants hear only of the move.',
      programme_unpublished: () =>
        'The organizers have taken the programme of this event off publication for now. Your registration ' +
        'stays as it is; no reminders come while the programme is unpublished.',
    },
    speakerLead: {
      item_rescheduled: () => 'An item you speak at has been moved.',
      item_cancelled: () => 'Unfortunately, an item you speak at has been cancelled.',
    },
    reason: (r) => `Reason given by the organizer: ${r}`,
    displacedBecause: 'Why',
    unsubscribe: (url) => `To stop reminders: ${url}`,
    checkIn: (code) => `Your check-in code: ${code} (show it, or the attached QR image, at the entrance)`,
  },

  ru: {
    ...shared(COMMON_PHRASES.ru),
    greeting: (name) => `Здравствуйте, ${name}!`,
    startsIn: (n, unit) => `через ${n} ${ruForm(n, RU_UNITS[unit])}`,
    subject: {
      registration_confirmed: (p) => `Подтверждено: ${p.title}, ${p.when}`,
      waitlisted: (p) =>
        p.position === undefined ? `Лист ожидания: ${p.title}` : `Лист ожидания (№${p.position}): ${p.title}`,
      waitlist_promoted: (p) => `Место за вами: ${p.title}, ${p.when}`,
      registration_cancelled: (p) => `Регистрация отменена: ${p.title}`,
      reminder: (p) =>
        p.startsIn === undefined
          ? `Напоминание: ${p.title} (${p.when}, ${p.space})`
          : `Напоминание: ${p.title} начнётся ${p.startsIn} (${p.when}, ${p.space})`,
      item_rescheduled: (p) => `Перенесено: ${p.title} — теперь ${p.when}, ${p.space}`,
      item_cancelled: (p) => `Отменено: ${p.title}`,
      item_displaced: (p) => `Нужно перенести: ${p.title} больше не может пройти ${p.when}, ${p.space}`,
      programme_unpublished: (p) => `Снято с публикации: ${p.title}`,
    },
    lead: {
      registration_confirmed: () => 'Ваша регистрация подтверждена.',
      waitlisted: (p) =>
        p.position === undefined
          ? 'Свободных мест нет, и вы в листе ожидания. Мы сообщим, если место освободится.'
          : `Свободных мест нет, и вы в листе ожидания под номером ${p.position}. ` +
            'Мы сообщим, если место освободится.',
      waitlist_promoted: () => 'Освободилось место, и теперь оно за вами: ваша регистрация подтверждена.',
      registration_cancelled: () => 'Ваша регистрация отменена.',
      reminder: (p) =>
        p.startsIn === undefined
          ? 'Напоминаем о мероприятии, на которое вы записаны.'
          : `Напоминаем: мероприятие начнётся ${p.startsIn}.`,
      item_rescheduled: () => 'Мероприятие перенесено.',
      item_cancelled: () => 'К сожалению, мероприятие отменено.',
      item_displaced: () =>
        'Это мероприятие вашей программы больше не может пройти там и тогда, где оно стоит. Оно остаётся ' +
        'на месте, пока вы его не перенесёте — вручную или запуском планировщика (scope "all"); ' +
        'зарегистрированные узнают только о переносе.',
      programme_unpublished: () =>
        'Организаторы временно сняли программу этого мероприятия с публикации. Ваша регистрация ' +
        'сохраняется; пока программа не опубликована, напоминания не приходят.',
    },
    speakerLead: {
      item_rescheduled: () => 'Мероприятие, в котором вы выступаете, перенесено.',
      item_cancelled: () => 'К сожалению, мероприятие, в котором вы выступаете, отменено.',
    },
    reason: (r) => `Причина, указанная организатором: ${r}`,
    displacedBecause: 'Причина',
    unsubscribe: (url) => `Чтобы отключить напоминания: ${url}`,
    checkIn: (code) => `Ваш код для входа: ${code} (покажите его или приложенный QR-код у входа)`,
  },

  kk: {
    ...shared(COMMON_PHRASES.kk),
    greeting: (name) => `Сәлеметсіз бе, ${name}!`,
    startsIn: (n, unit) => `${n} ${KK_UNITS[unit]} кейін`,
    subject: {
      registration_confirmed: (p) => `Расталды: ${p.title}, ${p.when}`,
      waitlisted: (p) =>
        p.position === undefined ? `Күту тізімі: ${p.title}` : `Күту тізімі (№${p.position}): ${p.title}`,
      waitlist_promoted: (p) => `Орын сіздікі: ${p.title}, ${p.when}`,
      registration_cancelled: (p) => `Тіркеу болдырылмады: ${p.title}`,
      reminder: (p) =>
        p.startsIn === undefined
          ? `Еске салу: ${p.title} (${p.when}, ${p.space})`
          : `Еске салу: ${p.title} ${p.startsIn} басталады (${p.when}, ${p.space})`,
      item_rescheduled: (p) => `Ауыстырылды: ${p.title} — енді ${p.when}, ${p.space}`,
      item_cancelled: (p) => `Болдырылмады: ${p.title}`,
      item_displaced: (p) => `Ауыстыру қажет: ${p.title} ${p.when}, ${p.space} өте алмайды`,
      programme_unpublished: (p) => `Жариялаудан алынды: ${p.title}`,
    },
    lead: {
      registration_confirmed: () => 'Тіркеуіңіз расталды.',
      waitlisted: (p) =>
        p.position === undefined
          ? 'Бос орын қалмады, сондықтан сіз күту тізіміне қосылдыңыз. Орын босаса, сізге хабарлаймыз.'
          : 'Бос орын қалмады, сондықтан сіз күту тізіміне қосылдыңыз. ' +
            `Кезектегі нөміріңіз: ${p.position}. Орын босаса, сізге хабарлаймыз.`,
      waitlist_promoted: () => 'Орын босады, енді ол сіздікі: тіркеуіңіз расталды.',
      registration_cancelled: () => 'Тіркеуіңіз болдырылмады.',
      reminder: (p) =>
        p.startsIn === undefined
          ? 'Сіз тіркелген іс-шара туралы еске саламыз.'
          : `Еске саламыз: іс-шара ${p.startsIn} басталады.`,
      item_rescheduled: () => 'Іс-шара басқа уақытқа ауыстырылды.',
      item_cancelled: () => 'Өкінішке қарай, іс-шара болдырылмады.',
      item_displaced: () =>
        'Бағдарламаңыздағы бұл іс-шара бұдан былай өз орнында өте алмайды. Сіз оны қолмен немесе ' +
        'жоспарлағышты іске қосып (scope "all") ауыстырғанша, ол өз орнында қалады; тіркелгендер тек ' +
        'ауыстыру туралы хабар алады.',
      programme_unpublished: () =>
        'Ұйымдастырушылар бұл іс-шараның бағдарламасын уақытша жариялаудан алып тастады. Тіркеуіңіз ' +
        'сақталады; бағдарлама жарияланбағанша еске салулар келмейді.',
    },
    speakerLead: {
      item_rescheduled: () => 'Сіз сөйлейтін іс-шара басқа уақытқа ауыстырылды.',
      item_cancelled: () => 'Өкінішке қарай, сіз сөйлейтін іс-шара болдырылмады.',
    },
    reason: (r) => `Ұйымдастырушы көрсеткен себеп: ${r}`,
    displacedBecause: 'Себебі',
    unsubscribe: (url) => `Еске салуларды өшіру үшін: ${url}`,
    checkIn: (code) => `Кіру кодыңыз: ${code} (оны немесе тіркелген QR-кодты кіреберісте көрсетіңіз)`,
  },
};
