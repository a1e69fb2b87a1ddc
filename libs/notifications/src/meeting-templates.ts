// Texts of the B2B meeting notices for one recipient, in their language. Pure, like templates.ts, whose time
// formatting (venue zone, recipient language) they share.
import { formatRange, formatWhen, oneLine, startsInPhrase, withZone } from './notice-time';
import { COMMON_PHRASES, CommonPhrases, Locale } from '@pavilion/core';
import { MeetingNoticeKind } from './notice-kinds';
import { NoticeText } from './templates';

export type RequestAnswer = 'accepted' | 'declined' | 'withdrawn';
/** Why a meeting was cancelled (b2b_meetings.cancel_reason). */
export type MeetingCancelReason = 'cancelled' | 'participant_left' | 'session_cancelled' | 'clash';

/** What a meeting notice says to one of the two parties. */
export interface MeetingNoticeContext {
  kind: MeetingNoticeKind;
  locale: Locale;
  timezone: string;
  session: {
    title: string;
    startsAt: Date;
    endsAt: Date;
    spaceName: string;
    pavilionName: string;
    venueName: string;
    city: string;
  };
  /** The other party: who asked, answered, or whom the recipient meets. */
  counterpart: { name: string; company: string };
  /** meeting_scheduled, meeting_cancelled, meeting_reminder: the slot and the table. */
  meeting?: { startsAt: Date; endsAt: Date; table: number };
  moved?: boolean; // meeting_scheduled: the meeting moved with its session
  answer?: RequestAnswer; // meeting_request_answered
  message?: string; // meeting_request: the sender's message
  cancelReason?: MeetingCancelReason; // meeting_cancelled
  offsetMinutes?: number; // meeting_reminder
}

interface Parts {
  who: string; // "Dana Abenova (Astana Foods)"
  company: string;
  title: string;
  when: string; // the slot's start, or the session's for requests
  table: string;
  startsIn?: string;
}

/** The labels meeting letters share with item notices and the public site (libs/core/src/phrases.ts). */
type SharedLabels = Pick<CommonPhrases, 'quote' | 'whenLabel' | 'whereLabel'>;
const shared = ({ quote, whenLabel, whereLabel }: CommonPhrases): SharedLabels => ({
  quote,
  whenLabel,
  whereLabel,
});

interface MeetingPhrases extends SharedLabels {
  tableLabel: string;
  messageLabel: string;
  subject: {
    meeting_request: (p: Parts) => string;
    meeting_request_answered: Record<RequestAnswer, (p: Parts) => string>;
    meeting_scheduled: (p: Parts) => string;
    meeting_moved: (p: Parts) => string;
    meeting_cancelled: (p: Parts) => string;
    meeting_reminder: (p: Parts) => string;
  };
  lead: {
    meeting_request: (p: Parts) => string;
    meeting_request_answered: Record<RequestAnswer, (p: Parts) => string>;
    meeting_scheduled: (p: Parts) => string;
    meeting_moved: (p: Parts) => string;
    meeting_cancelled: (p: Parts) => string;
    meeting_reminder: (p: Parts) => string;
  };
  cancelReason: Record<MeetingCancelReason, (p: Parts) => string>;
}

const PHRASES: Record<Locale, MeetingPhrases> = {
  en: {
    ...shared(COMMON_PHRASES.en),
    tableLabel: 'Table',
    messageLabel: 'Their message',
    subject: {
      meeting_request: (p) => `Meeting request from ${p.company}: ${p.title}`,
      meeting_request_answered: {
        accepted: (p) => `Meeting request accepted by ${p.company}: ${p.title}`,
        declined: (p) => `Meeting request declined by ${p.company}: ${p.title}`,
        withdrawn: (p) => `Meeting request withdrawn by ${p.company}: ${p.title}`,
      },
      meeting_scheduled: (p) => `Meeting with ${p.company}: ${p.when}, table ${p.table}`,
      meeting_moved: (p) => `Meeting moved: ${p.company} — now ${p.when}, table ${p.table}`,
      meeting_cancelled: (p) => `Meeting cancelled: ${p.company}, ${p.when}`,
      meeting_reminder: (p) =>
        p.startsIn === undefined
          ? `Reminder: meeting with ${p.company} (${p.when}, table ${p.table})`
          : `Reminder: meeting with ${p.company} starts ${p.startsIn} (${p.when}, table ${p.table})`,
    },
    lead: {
      meeting_request: (p) => `${p.who} would like to meet you. Accept or decline the request in Pavilion.`,
      meeting_request_answered: {
        accepted: (p) =>
          `${p.who} accepted your meeting request. The meeting will be scheduled at a table; ` +
          'you can also book a free slot yourself.',
        declined: (p) => `${p.who} declined your meeting request.`,
        withdrawn: (p) => `${p.who} withdrew their meeting request.`,
      },
      meeting_scheduled: (p) => `You have a B2B meeting with ${p.who}.`,
      meeting_moved: (p) => `Your B2B meeting with ${p.who} has moved with the session.`,
      meeting_cancelled: (p) =>
        `Your B2B meeting with ${p.who} has been cancelled; its table place is free again.`,
      meeting_reminder: (p) =>
        p.startsIn === undefined
          ? `A reminder about your B2B meeting with ${p.who}.`
          : `A reminder: your B2B meeting with ${p.who} starts ${p.startsIn}.`,
    },
    cancelReason: {
      cancelled: () => 'It was cancelled by the other party or the organizers.',
      participant_left: (p) => `${p.company} has left the session.`,
      session_cancelled: () => 'The session has been cancelled.',
      clash: () => 'After the programme changed, it clashed with another commitment of one of you.',
    },
  },

  ru: {
    ...shared(COMMON_PHRASES.ru),
    tableLabel: 'Стол',
    messageLabel: 'Сообщение',
    subject: {
      meeting_request: (p) => `Запрос на встречу от ${p.company}: ${p.title}`,
      meeting_request_answered: {
        accepted: (p) => `${p.company} принимает запрос на встречу: ${p.title}`,
        declined: (p) => `${p.company} отклоняет запрос на встречу: ${p.title}`,
        withdrawn: (p) => `${p.company} отзывает запрос на встречу: ${p.title}`,
      },
      meeting_scheduled: (p) => `Встреча с ${p.company}: ${p.when}, стол ${p.table}`,
      meeting_moved: (p) => `Встреча перенесена: ${p.company} — теперь ${p.when}, стол ${p.table}`,
      meeting_cancelled: (p) => `Встреча отменена: ${p.company}, ${p.when}`,
      meeting_reminder: (p) =>
        p.startsIn === undefined
          ? `Напоминание: встреча с ${p.company} (${p.when}, стол ${p.table})`
          : `Напоминание: встреча с ${p.company} начнётся ${p.startsIn} (${p.when}, стол ${p.table})`,
    },
    lead: {
      meeting_request: (p) => `${p.who} предлагает вам встретиться. Примите или отклоните запрос в Pavilion.`,
      meeting_request_answered: {
        accepted: (p) =>
          `${p.who} принимает ваш запрос на встречу. Встречу назначат за одним из столов; ` +
          'вы также можете сами занять свободный слот.',
        declined: (p) => `${p.who} отклоняет ваш запрос на встречу.`,
        withdrawn: (p) => `${p.who} отзывает свой запрос на встречу.`,
      },
      meeting_scheduled: (p) => `У вас B2B-встреча с ${p.who}.`,
      meeting_moved: (p) => `Ваша B2B-встреча с ${p.who} перенесена вместе с сессией.`,
      meeting_cancelled: (p) => `Ваша B2B-встреча с ${p.who} отменена; место за столом освободилось.`,
      meeting_reminder: (p) =>
        p.startsIn === undefined
          ? `Напоминаем о вашей B2B-встрече с ${p.who}.`
          : `Напоминаем: ваша B2B-встреча с ${p.who} начнётся ${p.startsIn}.`,
    },
    cancelReason: {
      cancelled: () => 'Её отменила другая сторона или организаторы.',
      participant_left: (p) => `${p.company} больше не участвует в сессии.`,
      session_cancelled: () => 'Сессия отменена.',
      clash: () => 'После изменения программы она пересеклась с другим вашим или их мероприятием.',
    },
  },

  kk: {
    ...shared(COMMON_PHRASES.kk),
    tableLabel: 'Үстел',
    messageLabel: 'Хабарламасы',
    subject: {
      meeting_request: (p) => `${p.company} кездесуге өтініш жіберді: ${p.title}`,
      meeting_request_answered: {
        accepted: (p) => `${p.company} кездесу өтінішін қабылдады: ${p.title}`,
        declined: (p) => `${p.company} кездесу өтінішінен бас тартты: ${p.title}`,
        withdrawn: (p) => `${p.company} кездесу өтінішін кері қайтарды: ${p.title}`,
      },
      meeting_scheduled: (p) => `${p.company} өкілімен кездесу: ${p.when}, ${p.table}-үстел`,
      meeting_moved: (p) => `Кездесу ауыстырылды: ${p.company} — енді ${p.when}, ${p.table}-үстел`,
      meeting_cancelled: (p) => `Кездесу болдырылмады: ${p.company}, ${p.when}`,
      meeting_reminder: (p) =>
        p.startsIn === undefined
          ? `Еске салу: ${p.company} өкілімен кездесу (${p.when}, ${p.table}-үстел)`
          : `Еске салу: ${p.company} өкілімен кездесу ${p.startsIn} басталады (${p.when}, ${p.table}-үстел)`,
    },
    lead: {
      meeting_request: (p) =>
        `${p.who} сізбен кездескісі келеді. Өтінішті Pavilion-да қабылдаңыз немесе одан бас тартыңыз.`,
      meeting_request_answered: {
        accepted: (p) =>
          `${p.who} кездесу өтінішіңізді қабылдады. Кездесу үстелдердің біріне белгіленеді; ` +
          'бос уақытты өзіңіз де брондай аласыз.',
        declined: (p) => `${p.who} кездесу өтінішіңізден бас тартты.`,
        withdrawn: (p) => `${p.who} кездесу өтінішін кері қайтарды.`,
      },
      meeting_scheduled: (p) => `Сізде ${p.who} өкілімен B2B кездесуі бар.`,
      meeting_moved: (p) => `${p.who} өкілімен B2B кездесуіңіз сессиямен бірге ауыстырылды.`,
      meeting_cancelled: (p) => `${p.who} өкілімен B2B кездесуіңіз болдырылмады; үстелдегі орын босады.`,
      meeting_reminder: (p) =>
        p.startsIn === undefined
          ? `${p.who} өкілімен B2B кездесуіңіз туралы еске саламыз.`
          : `Еске саламыз: ${p.who} өкілімен B2B кездесуіңіз ${p.startsIn} басталады.`,
    },
    cancelReason: {
      cancelled: () => 'Оны екінші тарап немесе ұйымдастырушылар болдырмады.',
      participant_left: (p) => `${p.company} сессияға енді қатыспайды.`,
      session_cancelled: () => 'Сессия болдырылмады.',
      clash: () =>
        'Бағдарлама өзгергеннен кейін ол тараптардың біреуінің басқа іс-шарасымен қабаттасып қалды.',
    },
  },
};

/** Subject and in-app text of a meeting notice; the letter around it is templates.ts's renderLetter. */
export function renderMeetingNotice(ctx: MeetingNoticeContext): NoticeText {
  const { kind, locale, timezone, session, meeting } = ctx;
  const ph = PHRASES[locale];
  const parts: Parts = {
    who: `${ctx.counterpart.name} (${ctx.counterpart.company})`,
    company: ctx.counterpart.company,
    title: ph.quote(session.title),
    when: withZone(
      formatWhen(meeting?.startsAt ?? session.startsAt, locale, timezone),
      meeting?.startsAt ?? session.startsAt,
      timezone,
    ),
    table: String(meeting?.table ?? ''),
    startsIn: kind === 'meeting_reminder' ? startsInPhrase(ctx.offsetMinutes, locale) : undefined,
  };
  const variant = kind === 'meeting_scheduled' && ctx.moved ? 'meeting_moved' : kind;
  const pick = (
    byKind: Record<string, ((p: Parts) => string) | Record<RequestAnswer, (p: Parts) => string>>,
  ): ((p: Parts) => string) => {
    const entry = byKind[variant];
    return typeof entry === 'function' ? entry : entry[ctx.answer ?? 'accepted'];
  };

  const where = `${ph.whereLabel}: ${session.spaceName}, ${session.pavilionName}, ${session.venueName}, ${session.city}`;
  const range = (place: { startsAt: Date; endsAt: Date }) =>
    withZone(
      formatRange({ ...place, spaceName: session.spaceName }, locale, timezone),
      place.startsAt,
      timezone,
    );
  const details: string[] = [parts.title];
  if (meeting) details.push(`${ph.whenLabel}: ${range(meeting)}`, `${ph.tableLabel}: ${meeting.table}`);
  else details.push(`${ph.whenLabel}: ${range(session)}`);
  details.push(where);

  const paragraphs = [pick(ph.lead)(parts), details.join('\n')];
  if (kind === 'meeting_request' && ctx.message?.trim())
    paragraphs.push(`${ph.messageLabel}: ${ctx.message.trim()}`);
  if (kind === 'meeting_cancelled' && ctx.cancelReason && ph.cancelReason[ctx.cancelReason])
    paragraphs.push(ph.cancelReason[ctx.cancelReason](parts));
  return { subject: oneLine(pick(ph.subject)(parts)), inApp: paragraphs.join('\n\n') };
}
