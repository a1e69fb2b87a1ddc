import { COMMON_PHRASES, CommonPhrases, isLocale, Locale } from '@pavilion/core';

/** The site's words; what messages also say comes from the shared table (COMMON_PHRASES). */
export interface SitePhrases extends CommonPhrases {
  siteName: string;
  programmes: string;
  noProgrammes: string;
  days: string;
  filters: string;
  type: string;
  language: string;
  space: string;
  any: string;
  apply: string;
  grid: string;
  speakers: string;
  languages: string;
  seatsLabel: string;
  seatsLeft: (n: number) => string;
  full: (waitlist: number) => string;
  noRegistration: string;
  addToCalendar: string;
  qrLabel: string;
  nowAndNext: string;
  now: string;
  next: string;
  nothingNow: string;
  changes: string;
  noChanges: string;
  changeKinds: Record<string, string>;
  fieldNames: Record<string, string>;
  signIn: string;
  signOut: string;
  email: string;
  password: string;
  signedInAs: (name: string) => string;
  register: string;
  signInToRegister: string;
  cancelRegistration: string;
  yourStatus: string;
  calendarLink: string;
  favourite: string;
  unfavourite: string;
  favourites: string;
  skipToContent: string;
  backToProgramme: string;
  itemsCount: (n: number) => string;
  exports: string;
  cancelledBecause: (reason: string) => string;
  badSignIn: string;
  print: string;
  noFavourites: string;
  registrationFailed: string;
  /** Why a registration from the site was refused (a 409), by error code; `other` for the rest. */
  refusals: Record<string, string>;
  backToItem: string;
}

const en: SitePhrases = {
  ...COMMON_PHRASES.en,
  siteName: 'Pavilion',
  programmes: 'Programmes',
  noProgrammes: 'No programme is published yet.',
  days: 'Days',
  filters: 'Filters',
  type: 'Type',
  language: 'Language',
  space: 'Space',
  any: 'Any',
  apply: 'Apply',
  grid: 'Programme grid',
  speakers: 'Speakers',
  languages: 'Languages',
  seatsLabel: 'Seats',
  seatsLeft: (n) => (n === 1 ? '1 seat left' : `${n} seats left`),
  full: (w) => (w > 0 ? `Full — ${w} on the waiting list` : 'Full — join the waiting list'),
  noRegistration: 'Free entry, no registration',
  addToCalendar: 'Add to calendar',
  qrLabel: 'QR code of this page',
  nowAndNext: 'Now and next',
  now: 'Now',
  next: 'Next',
  nothingNow: 'Nothing more today.',
  changes: 'Changes',
  noChanges: 'No changes since publication.',
  changeKinds: {
    published: 'Programme published',
    programme_changed: 'Programme details changed',
    added: 'Added',
    moved: 'Moved',
    cancelled: 'Cancelled',
    removed: 'Removed',
    changed: 'Changed',
  },
  fieldNames: {
    title: 'title',
    description: 'description',
    type: 'type',
    startsAt: 'start',
    endsAt: 'end',
    spaceId: 'place',
    space: 'place',
    capacity: 'capacity',
    languages: 'languages',
    speakers: 'speakers',
    status: 'status',
    startsOn: 'first day',
    endsOn: 'last day',
    pavilion: 'pavilion',
    venue: 'venue',
    city: 'city',
    timezone: 'time zone',
  },
  signIn: 'Sign in',
  signOut: 'Sign out',
  email: 'E-mail',
  password: 'Password',
  signedInAs: (n) => `Signed in as ${n}`,
  register: 'Register',
  signInToRegister: 'Sign in to register',
  cancelRegistration: 'Cancel my registration',
  yourStatus: 'Your registration',
  calendarLink: 'My calendar (subscribe)',
  favourite: 'Add to favourites',
  unfavourite: 'Remove from favourites',
  favourites: 'My favourites',
  skipToContent: 'Skip to content',
  backToProgramme: 'Back to the programme',
  itemsCount: (n) => (n === 1 ? '1 item' : `${n} items`),
  exports: 'For apps',
  cancelledBecause: (r) => `Cancelled: ${r}`,
  badSignIn: 'The e-mail or password is not right.',
  print: 'Print',
  noFavourites: 'Nothing starred yet. Press ★ next to an item in a programme to keep it here.',
  registrationFailed: 'Registration did not go through',
  refusals: {
    'already-registered': 'You are already registered for this item.',
    'registration-closed': 'Registration for this item is closed.',
    'registration-overlap': 'It overlaps an item you are confirmed for. Cancel that one first.',
    other: 'The item changed in the meantime. Look at it again and try once more.',
  },
  backToItem: 'Back to the item',
};

const ru: SitePhrases = {
  ...COMMON_PHRASES.ru,
  siteName: 'Павильон',
  programmes: 'Программы',
  noProgrammes: 'Пока не опубликовано ни одной программы.',
  days: 'Дни',
  filters: 'Фильтры',
  type: 'Формат',
  language: 'Язык',
  space: 'Зал',
  any: 'Любой',
  apply: 'Показать',
  grid: 'Сетка программы',
  speakers: 'Спикеры',
  languages: 'Языки',
  seatsLabel: 'Места',
  seatsLeft: (n) => `Свободных мест: ${n}`,
  full: (w) => (w > 0 ? `Мест нет — в листе ожидания ${w}` : 'Мест нет — можно встать в лист ожидания'),
  noRegistration: 'Вход свободный, без регистрации',
  addToCalendar: 'Добавить в календарь',
  qrLabel: 'QR-код этой страницы',
  nowAndNext: 'Сейчас и далее',
  now: 'Сейчас',
  next: 'Далее',
  nothingNow: 'На сегодня больше ничего.',
  changes: 'Изменения',
  noChanges: 'Изменений после публикации нет.',
  changeKinds: {
    published: 'Программа опубликована',
    programme_changed: 'Изменены сведения о программе',
    added: 'Добавлено',
    moved: 'Перенесено',
    cancelled: 'Отменено',
    removed: 'Снято',
    changed: 'Изменено',
  },
  fieldNames: {
    title: 'название',
    description: 'описание',
    type: 'формат',
    startsAt: 'начало',
    endsAt: 'окончание',
    spaceId: 'место',
    space: 'место',
    capacity: 'число мест',
    languages: 'языки',
    speakers: 'спикеры',
    status: 'статус',
    startsOn: 'первый день',
    endsOn: 'последний день',
    pavilion: 'павильон',
    venue: 'площадка',
    city: 'город',
    timezone: 'часовой пояс',
  },
  signIn: 'Войти',
  signOut: 'Выйти',
  email: 'Эл. почта',
  password: 'Пароль',
  signedInAs: (n) => `Вы вошли как ${n}`,
  register: 'Зарегистрироваться',
  signInToRegister: 'Войдите, чтобы зарегистрироваться',
  cancelRegistration: 'Отменить регистрацию',
  yourStatus: 'Ваша регистрация',
  calendarLink: 'Мой календарь (подписка)',
  favourite: 'В избранное',
  unfavourite: 'Убрать из избранного',
  favourites: 'Избранное',
  skipToContent: 'К содержанию',
  backToProgramme: 'К программе',
  itemsCount: (n) => `Мероприятий: ${n}`,
  exports: 'Для приложений',
  cancelledBecause: (r) => `Отменено: ${r}`,
  badSignIn: 'Неверная эл. почта или пароль.',
  print: 'Печать',
  noFavourites: 'Пока ничего не отмечено. Нажмите ★ рядом с событием программы, и оно появится здесь.',
  registrationFailed: 'Зарегистрироваться не удалось',
  refusals: {
    'already-registered': 'Вы уже зарегистрированы на это событие.',
    'registration-closed': 'Регистрация на это событие закрыта.',
    'registration-overlap':
      'Оно пересекается с событием, на которое вы уже записаны. Сначала отмените ту запись.',
    other: 'Событие тем временем изменилось. Посмотрите его ещё раз и попробуйте снова.',
  },
  backToItem: 'Вернуться к событию',
};

const kk: SitePhrases = {
  ...COMMON_PHRASES.kk,
  siteName: 'Павильон',
  programmes: 'Бағдарламалар',
  noProgrammes: 'Әзірге бірде-бір бағдарлама жарияланған жоқ.',
  days: 'Күндер',
  filters: 'Сүзгілер',
  type: 'Түрі',
  language: 'Тілі',
  space: 'Зал',
  any: 'Кез келген',
  apply: 'Көрсету',
  grid: 'Бағдарлама торы',
  speakers: 'Спикерлер',
  languages: 'Тілдер',
  seatsLabel: 'Орындар',
  seatsLeft: (n) => `Бос орын: ${n}`,
  full: (w) => (w > 0 ? `Орын жоқ — күту тізімінде ${w}` : 'Орын жоқ — күту тізіміне жазылуға болады'),
  noRegistration: 'Кіру тегін, тіркеусіз',
  addToCalendar: 'Күнтізбеге қосу',
  qrLabel: 'Осы беттің QR-коды',
  nowAndNext: 'Қазір және кейін',
  now: 'Қазір',
  next: 'Кейін',
  nothingNow: 'Бүгін басқа ештеңе жоқ.',
  changes: 'Өзгерістер',
  noChanges: 'Жарияланғаннан бері өзгеріс жоқ.',
  changeKinds: {
    published: 'Бағдарлама жарияланды',
    programme_changed: 'Бағдарлама мәліметтері өзгерді',
    added: 'Қосылды',
    moved: 'Ауыстырылды',
    cancelled: 'Болдырылмады',
    removed: 'Алынып тасталды',
    changed: 'Өзгертілді',
  },
  fieldNames: {
    title: 'атауы',
    description: 'сипаттамасы',
    type: 'түрі',
    startsAt: 'басталуы',
    endsAt: 'аяқталуы',
    spaceId: 'орны',
    space: 'орны',
    capacity: 'орын саны',
    languages: 'тілдері',
    speakers: 'спикерлер',
    status: 'мәртебесі',
    startsOn: 'бірінші күні',
    endsOn: 'соңғы күні',
    pavilion: 'павильон',
    venue: 'алаң',
    city: 'қала',
    timezone: 'уақыт белдеуі',
  },
  signIn: 'Кіру',
  signOut: 'Шығу',
  email: 'Эл. пошта',
  password: 'Құпиясөз',
  signedInAs: (n) => `Сіз ${n} ретінде кірдіңіз`,
  register: 'Тіркелу',
  signInToRegister: 'Тіркелу үшін кіріңіз',
  cancelRegistration: 'Тіркеуді болдырмау',
  yourStatus: 'Сіздің тіркеуіңіз',
  calendarLink: 'Менің күнтізбем (жазылу)',
  favourite: 'Таңдаулыларға қосу',
  unfavourite: 'Таңдаулылардан алып тастау',
  favourites: 'Таңдаулылар',
  skipToContent: 'Мазмұнға өту',
  backToProgramme: 'Бағдарламаға оралу',
  itemsCount: (n) => `Іс-шаралар: ${n}`,
  exports: 'Қосымшалар үшін',
  cancelledBecause: (r) => `Болдырылмады: ${r}`,
  badSignIn: 'Эл. пошта немесе құпиясөз қате.',
  print: 'Басып шығару',
  noFavourites: 'Әзірге ештеңе белгіленбеген. Бағдарламадағы іс-шараның жанындағы ★ белгісін басыңыз.',
  registrationFailed: 'Тіркелу сәтсіз аяқталды',
  refusals: {
    'already-registered': 'Сіз бұл іс-шараға тіркелгенсіз.',
    'registration-closed': 'Бұл іс-шараға тіркелу жабық.',
    'registration-overlap': 'Ол сіз тіркелген іс-шарамен уақыты қайшы келеді. Алдымен соны болдырмаңыз.',
    other: 'Іс-шара осы уақытта өзгерді. Оны қайта қарап, тағы көріңіз.',
  },
  backToItem: 'Іс-шараға оралу',
};

export const SITE_PHRASES: Record<Locale, SitePhrases> = { en, ru, kk };

/** `?lang=`, else the first language of Accept-Language Pavilion speaks, else the programme's first language. */
export function resolveLocale(
  queryLang: unknown,
  acceptLanguage: string | undefined,
  programmeLanguages: string[] = [],
): Locale {
  if (isLocale(queryLang)) return queryLang;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .slice(0, 20)
      .map((part, i) => {
        const [tag, ...params] = part.trim().split(';');
        const q = params.find((p) => p.trim().startsWith('q='));
        const weight = q ? Number(q.trim().slice(2)) : 1;
        return {
          lang: tag.trim().toLowerCase().split('-')[0],
          weight: Number.isFinite(weight) ? weight : 0,
          i,
        };
      })
      .filter((r) => r.weight > 0)
      .sort((a, b) => b.weight - a.weight || a.i - b.i);
    const hit = ranked.find((r) => isLocale(r.lang));
    if (hit) return hit.lang as Locale;
  }
  return programmeLanguages.find(isLocale) ?? 'en';
}
