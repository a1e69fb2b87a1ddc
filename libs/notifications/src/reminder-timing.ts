// When a reminder's letters go out under SMTP_MAX_PER_SECOND, pure: how early its fan-out fires, when its first
// letter may leave so that the last one leaves by the due time, and the pace in between. Without a cap a reminder
// fans out early enough to write its ledger before the due time, and every letter is released at the due time.

/** The fan-out fires this long before its letters are due to begin: to be claimed and write its first chunk. */
export const FANOUT_LEAD_MS = 3000;
/**
 * The last letter is planned this long before the due time: the cap is counted in one-second windows that need
 * not line up with the plan, and a letter takes a moment from its claim to the relay.
 */
export const FINISH_MARGIN_MS = 2000;
/**
 * Recipients a fan-out writes to the ledger a second, counted low (about 3,000 measured on two cores): without a
 * cap the fan-out fires this much earlier per seat, so that a large audience's ledger is written before its
 * letters are due rather than while they are sent.
 */
const LEDGER_WRITES_PER_SECOND = 2500;
/** Without a cap a fan-out fires at most this share of its lead early: writing rows sends nothing. */
const LEDGER_SHARE_OF_LEAD = 1 / 2;
/** A reminder goes out at most this share of its lead early: the 60-minute one no sooner than 75 minutes before. */
const EARLY_SHARE_OF_LEAD = 1 / 4;
/**
 * A chunk holds one second of the cap: its send job re-checks the item when it claims the chunk, so a letter
 * leaves at most about a second after that check. Twice this is at most a delivery batch.
 */
const MAX_CHUNK = 200;

/** The relay's cap and how early it lets a reminder go (AppConfig's smtpMaxPerSecond and reminderMaxEarlyMs). */
export interface ReminderCap {
  perSecond?: number;
  maxEarlyMs: number;
}

/** How long before its due time a reminder with this lead may go out at most: none without a cap. */
export function earliestMs(offsetMinutes: number, cap: ReminderCap): number {
  if (!cap.perSecond) return 0;
  return Math.min(cap.maxEarlyMs, offsetMinutes * 60_000 * EARLY_SHARE_OF_LEAD);
}

/** How long `letters` take at `perSecond`. */
function spanMs(letters: number, perSecond: number): number {
  return (letters * 1000) / perSecond;
}

/**
 * How long before the due time the fan-out fires. Who will hold a seat is not known yet, so the item's seats
 * bound the audience: under a cap the fan-out runs early enough to pace them all, within the earliest bound;
 * without one, early enough to write their ledger rows, within half the lead (the letters still wait for the
 * due time).
 */
export function fanoutLeadMs(offsetMinutes: number, seats: number, cap: ReminderCap): number {
  if (seats <= 0) return FANOUT_LEAD_MS;
  if (!cap.perSecond)
    return (
      FANOUT_LEAD_MS +
      Math.min(spanMs(seats, LEDGER_WRITES_PER_SECOND), offsetMinutes * 60_000 * LEDGER_SHARE_OF_LEAD)
    );
  const need = spanMs(seats, cap.perSecond) + FINISH_MARGIN_MS;
  return FANOUT_LEAD_MS + Math.min(earliestMs(offsetMinutes, cap), need);
}

/** A reminder's letters: the first released at `startAt`, all through the cap by `lastAt`, and how late that is. */
export interface SendPlan {
  startAt: number;
  lastAt: number;
  /** How far past the due time the last letter is planned: more letters than the cap lets through in time. */
  lateMs: number;
}

/**
 * When the `letters` of a reminder go, at the cap: from as late as still lets the last one leave by the due
 * time, but never sooner than the earliest bound; from now if that is already past (then late, by what the cap
 * cannot make up). Without a cap all go at the due time.
 */
export function sendPlan(
  dueAt: number,
  now: number,
  offsetMinutes: number,
  letters: number,
  cap: ReminderCap,
): SendPlan {
  if (!cap.perSecond || letters === 0) {
    const at = Math.max(now, dueAt);
    return { startAt: at, lastAt: at, lateMs: at - dueAt };
  }
  const span = spanMs(letters, cap.perSecond);
  const early = Math.min(earliestMs(offsetMinutes, cap), span + FINISH_MARGIN_MS);
  const startAt = Math.max(now, dueAt - early);
  return { startAt, lastAt: startAt + span, lateMs: Math.max(0, startAt + span - dueAt) };
}

/**
 * Hands out the release time of each chunk of a plan, at the cap's pace: a chunk is released once the letters
 * before it have had their share of the cap.
 */
export class SendPacer {
  private letters = 0;

  constructor(
    readonly plan: SendPlan,
    private readonly perSecond: number,
  ) {}

  /** Recipients per chunk: one second of the cap, at most half a delivery batch. */
  get chunk(): number {
    return Math.max(1, Math.min(MAX_CHUNK, Math.floor(this.perSecond)));
  }

  /** The release time of the next chunk. */
  get nextAt(): Date {
    return new Date(this.plan.startAt + spanMs(this.letters, this.perSecond));
  }

  /** Counts a chunk's e-mails in: the next chunk waits for their share of the cap. */
  take(letters: number): void {
    this.letters += letters;
  }

  /**
   * Rows in their order cut into chunks of at most `chunk` e-mails (in-app rows ride with the e-mails around
   * them), each with its release time; every chunk's e-mails take their share of the cap.
   */
  chunks<R extends { channel: string }>(rows: R[]): { at: Date; rows: R[] }[] {
    const out: { at: Date; rows: R[] }[] = [];
    let current: R[] = [];
    let letters = 0;
    const close = () => {
      if (current.length > 0) out.push({ at: this.nextAt, rows: current });
      this.take(letters);
      current = [];
      letters = 0;
    };
    for (const row of rows) {
      if (row.channel === 'email') {
        if (letters === this.chunk) close();
        letters += 1;
      }
      current.push(row);
    }
    close();
    return out;
  }

  /** Send times for rows already written, chunk by chunk in their order: only e-mails take a share. */
  spread<R extends { id: string; channel: string }>(rows: R[]): { id: string; sendAt: Date }[] {
    return this.chunks(rows).flatMap(({ at, rows: chunk }) => chunk.map(({ id }) => ({ id, sendAt: at })));
  }
}
