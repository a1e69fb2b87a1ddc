// Notification texts for one recipient, in their language. Pure: no Nest, no I/O, only Node's Intl.
// Times are always shown in the venue's zone (never the server's or the recipient's), via Intl with full ICU,
// so historical offsets are right (Astana was UTC+6 in 2017 and has been UTC+5 since March 2024).

import { COMMON_PHRASES, CommonPhrases, Locale } from '@pavilion/core';

export type NotificationKind =
  | 'registration_confirmed'
  | 'waitlisted'
  | 'waitlist_promoted'
  | 'registration_cancelled'
  | 'reminder'
  | 'item_rescheduled'
  | 'item_cancelled'
  | 'item_displaced';
export type { Locale };

export interface ItemPlace {
  startsAt: Date;
  endsAt: Date;
  spaceName: string;
}

/** What a notice says, the same for everyone told the same thing in the same language. */
export interface NoticeContext {
  kind: NotificationKind;
  locale: Locale;
  timezone: string; // IANA zone of the venue, e.g. 'Asia/Almaty'
  item: { title: string; venueName: string; pavilionName: string } & ItemPlace;
  previous?: ItemPlace; // item_rescheduled: what the attendee was last told
  waitlistPosition?: number; // waitlisted
  cancelReason?: string; // item_cancelled
  displacedBy?: string[]; // item_displaced: why it can no longer stay, in the organizer's words
  offsetMinutes?: number; // reminder: how long before the start
}

/** The letter around a notice: whom it greets, and for reminders the link that turns them off. */
export interface LetterContext {
  recipientName: string;
  unsubscribeUrl?: string; // reminder emails: link to turn reminders off
}

export type NotificationContext = NoticeContext & LetterContext;

export interface NoticeText {
  subject: string;
  /**
   * What the in-app list shows under the subject: the email's text without the greeting and the unsubscribe
   * link, which belong to a letter.
   */
  inApp: string;
}

export interface RenderedNotification extends NoticeText {
  /** The email's text: greeting, what happened, and for reminders the unsubscribe link. */
  text: string;
}

type DurationUnit = 'minute' | 'hour' | 'day';

/** What a subject or lead line may use; `title` is already quoted the way the language wants it. */
interface Parts {
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
  subject: Record<NotificationKind, (p: Parts) => string>;
  lead: Record<NotificationKind, (p: Parts) => string>;
  reason: (reason: string) => string;
  displacedBecause: string;
  unsubscribe: (url: string) => string;
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

const PHRASES: Record<Locale, Phrases> = {
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
    },
    reason: (r) => `Reason given by the organizer: ${r}`,
    displacedBecause: 'Why',
    unsubscribe: (url) => `To stop reminders: ${url}`,
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
    },
    reason: (r) => `Причина, указанная организатором: ${r}`,
    displacedBecause: 'Причина',
    unsubscribe: (url) => `Чтобы отключить напоминания: ${url}`,
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
    },
    reason: (r) => `Ұйымдастырушы көрсеткен себеп: ${r}`,
    displacedBecause: 'Себебі',
    unsubscribe: (url) => `Еске салуларды өшіру үшін: ${url}`,
  },
};

// Intl formatters are comparatively expensive to build; there are few (locale, zone) pairs, so keep them.
const formatterCache = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: 'full' | 'time' | 'day', locale: Locale, timezone: string): Intl.DateTimeFormat {
  const key = `${kind}|${locale}|${timezone}`;
  let f = formatterCache.get(key);
  if (!f) {
    const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    const options: Intl.DateTimeFormatOptions =
      kind === 'time'
        ? time
        : kind === 'day'
          ? { year: 'numeric', month: '2-digit', day: '2-digit' }
          : { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', ...time };
    f = new Intl.DateTimeFormat(PHRASES[locale].intlLocale, { ...options, timeZone: timezone });
    formatterCache.set(key, f);
  }
  return f;
}

// A reminder to thousands of people formats the same few instants over and over: keep recent results.
const FORMATTED_LIMIT = 10_000;
const formatted = new Map<string, string>();

function remembered(key: string, format: () => string): string {
  let text = formatted.get(key);
  if (text === undefined) {
    if (formatted.size >= FORMATTED_LIMIT) formatted.clear();
    text = format();
    formatted.set(key, text);
  }
  return text;
}

/** Date and time in the venue's zone, in the recipient's language, e.g. en "Tue 15 Aug 2017, 15:00". */
export function formatWhen(date: Date, locale: Locale, timezone: string): string {
  return remembered(`when|${locale}|${timezone}|${date.getTime()}`, () => {
    const parts = formatter('full', locale, timezone).formatToParts(date);
    // en-GB puts a comma after the weekday ("Tue, 15 Aug"); house style is "Tue 15 Aug". ru and kk stay as ICU has them.
    return parts
      .map((part, i) =>
        locale === 'en' && part.type === 'literal' && parts[i - 1]?.type === 'weekday' ? ' ' : part.value,
      )
      .join('');
  });
}

/** "Tue 15 Aug 2017, 15:00–16:30"; the end gets its full date only when it falls on another day. */
export function formatRange(place: ItemPlace, locale: Locale, timezone: string): string {
  const { startsAt, endsAt } = place;
  return remembered(`range|${locale}|${timezone}|${startsAt.getTime()}|${endsAt.getTime()}`, () => {
    const day = formatter('day', locale, timezone);
    const start = formatWhen(startsAt, locale, timezone);
    return day.format(startsAt) === day.format(endsAt)
      ? `${start}–${formatter('time', locale, timezone).format(endsAt)}`
      : `${start} – ${formatWhen(endsAt, locale, timezone)}`;
  });
}

/** Whole days if it divides evenly, else whole hours, else minutes: 1440 → 1 day, 60 → 1 hour, 90 → 90 minutes. */
function splitDuration(minutes: number): { n: number; unit: DurationUnit } {
  if (minutes >= 1440 && minutes % 1440 === 0) return { n: minutes / 1440, unit: 'day' };
  if (minutes >= 60 && minutes % 60 === 0) return { n: minutes / 60, unit: 'hour' };
  return { n: minutes, unit: 'minute' };
}

/** "in 1 hour" / "через 1 час" / "1 сағаттан кейін" for a positive whole number of minutes, else undefined. */
export function startsInPhrase(offsetMinutes: number | undefined, locale: Locale): string | undefined {
  if (offsetMinutes === undefined || !Number.isInteger(offsetMinutes) || offsetMinutes <= 0) return undefined;
  const { n, unit } = splitDuration(offsetMinutes);
  return PHRASES[locale].startsIn(n, unit);
}

/** Subjects are single header lines: no line breaks from user-supplied titles or space names. */
export function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Subject and in-app text of a notice. A batch to many people renders each distinct notice once. */
export function renderNotice(ctx: NoticeContext): NoticeText {
  const { kind, locale, timezone, item } = ctx;
  const ph = PHRASES[locale];

  const startsIn = startsInPhrase(ctx.offsetMinutes, locale);

  const parts: Parts = {
    title: ph.quote(item.title),
    when: formatWhen(item.startsAt, locale, timezone),
    space: item.spaceName,
    position: ctx.waitlistPosition,
    startsIn,
  };

  const where = `${ph.whereLabel}: ${item.spaceName}, ${item.pavilionName}, ${item.venueName}`;
  const details: string[] = [parts.title];
  if (kind === 'item_rescheduled') {
    if (ctx.previous) {
      details.push(
        `${ph.wasLabel}: ${formatRange(ctx.previous, locale, timezone)}, ${ctx.previous.spaceName}`,
      );
    }
    details.push(`${ph.nowLabel}: ${formatRange(item, locale, timezone)}, ${item.spaceName}`, where);
  } else {
    details.push(`${ph.whenLabel}: ${formatRange(item, locale, timezone)}`, where);
  }

  const paragraphs: string[] = [ph.lead[kind](parts), details.join('\n')];
  if (kind === 'item_cancelled' && ctx.cancelReason?.trim()) {
    paragraphs.push(ph.reason(ctx.cancelReason.trim()));
  }
  if (kind === 'item_displaced' && ctx.displacedBy?.length) {
    paragraphs.push(ctx.displacedBy.map((why) => `${ph.displacedBecause}: ${why}`).join('\n'));
  }
  return { subject: oneLine(ph.subject[kind](parts)), inApp: paragraphs.join('\n\n') };
}

/** Kinds whose emails end with the link that turns reminders off. */
const REMINDER_KINDS = new Set<string>(['reminder', 'meeting_reminder']);

/** The email's text for one recipient: a greeting, the notice, and for reminders the unsubscribe link. */
export function renderLetter(
  notice: NoticeText,
  kind: string,
  locale: Locale,
  letter: LetterContext,
): string {
  const ph = PHRASES[locale];
  const footer =
    REMINDER_KINDS.has(kind) && letter.unsubscribeUrl ? `\n\n${ph.unsubscribe(letter.unsubscribeUrl)}` : '';
  return `${ph.greeting(letter.recipientName)}\n\n${notice.inApp}${footer}\n`;
}

export function renderNotification(ctx: NotificationContext): RenderedNotification {
  const notice = renderNotice(ctx);
  return { ...notice, text: renderLetter(notice, ctx.kind, ctx.locale, ctx) };
}
