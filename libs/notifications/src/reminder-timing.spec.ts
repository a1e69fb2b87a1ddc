import {
  earliestMs,
  FANOUT_LEAD_MS,
  fanoutLeadMs,
  FINISH_MARGIN_MS,
  ReminderCap,
  SendPacer,
  sendPlan,
} from './reminder-timing';

const HOUR = 3600_000;
const DUE = Date.parse('2026-11-27T12:00:00Z');
const capped = (perSecond: number, maxEarlyMs = 30 * 60_000): ReminderCap => ({ perSecond, maxEarlyMs });
const uncapped: ReminderCap = { maxEarlyMs: 30 * 60_000 };

describe('reminder timing under SMTP_MAX_PER_SECOND', () => {
  it('without a cap fans out early enough to write the ledger of its seats, and sends every letter at the due time', () => {
    // 20,000 seats at 2,500 rows a second: 8 s of writing before the due time, besides the fan-out's own lead.
    expect(fanoutLeadMs(60, 20_000, uncapped)).toBe(FANOUT_LEAD_MS + 8_000);
    expect(fanoutLeadMs(60, 0, uncapped)).toBe(FANOUT_LEAD_MS);
    // Never more than half the lead early: a 1-minute reminder to 100,000 fans out 30 s early.
    expect(fanoutLeadMs(1, 100_000, uncapped)).toBe(FANOUT_LEAD_MS + 30_000);
    expect(earliestMs(60, uncapped)).toBe(0);
    expect(sendPlan(DUE, DUE - 10_000, 60, 20_000, uncapped)).toEqual({
      startAt: DUE,
      lastAt: DUE,
      lateMs: 0,
    });
  });

  it('never lets a reminder go sooner than REMINDER_MAX_EARLY nor a quarter of its lead before its due time', () => {
    expect(earliestMs(60, capped(10))).toBe(15 * 60_000);
    expect(earliestMs(24 * 60, capped(10))).toBe(30 * 60_000);
    expect(earliestMs(1, capped(10))).toBe(15_000);
    expect(earliestMs(24 * 60, capped(10, 0))).toBe(0);
  });

  it('fans out early enough to pace every seat at the cap, within that bound', () => {
    // 40 seats at 10/s: 4 s of letters, the finish margin, and the fan-out's own lead.
    expect(fanoutLeadMs(1, 40, capped(10))).toBe(4000 + FINISH_MARGIN_MS + FANOUT_LEAD_MS);
    // 20,000 seats at 10/s would need 2,000 s: the 60-minute reminder's fan-out fires at most 15 minutes early.
    expect(fanoutLeadMs(60, 20_000, capped(10))).toBe(15 * 60_000 + FANOUT_LEAD_MS);
    expect(fanoutLeadMs(60, 0, capped(10))).toBe(FANOUT_LEAD_MS);
  });

  it('starts the letters as late as still gets the last out by the due time', () => {
    const plan = sendPlan(DUE, DUE - HOUR, 60, 40, capped(10));
    expect(plan).toEqual({
      startAt: DUE - 4000 - FINISH_MARGIN_MS,
      lastAt: DUE - FINISH_MARGIN_MS,
      lateMs: 0,
    });
    // Few letters need no head start beyond the margin.
    expect(sendPlan(DUE, DUE - HOUR, 60, 1, capped(1000)).startAt).toBe(DUE - 1 - FINISH_MARGIN_MS);
  });

  it('when the cap cannot make it, starts at the earliest bound and reports the lateness', () => {
    // 20,000 letters at 10/s take 2,000 s; the 60-minute reminder may start 900 s early: 1,100 s late.
    const plan = sendPlan(DUE, DUE - HOUR, 60, 20_000, capped(10));
    expect(plan.startAt).toBe(DUE - 15 * 60_000);
    expect(plan.lateMs).toBe(1_100_000);
    expect(plan.lastAt).toBe(DUE + 1_100_000);
  });

  it('when the due time is too close, starts now and reports the lateness', () => {
    // 40 letters at 10/s, 1.5 s before the due time: the last 2.5 s late.
    const now = DUE - 1500;
    expect(sendPlan(DUE, now, 1, 40, capped(10))).toEqual({ startAt: now, lastAt: DUE + 2500, lateMs: 2500 });
    // A fan-out after the due time (the backstop) sends at once, late by as long.
    expect(sendPlan(DUE, DUE + 5000, 60, 3, uncapped).lateMs).toBe(5000);
  });

  it('releases chunks of one second of the cap at the pace of the e-mails before them', () => {
    const plan = sendPlan(DUE, DUE - HOUR, 60, 25, capped(10));
    const pacer = new SendPacer(plan, 10);
    expect(pacer.chunk).toBe(10);
    const turns: number[] = [];
    for (const emails of [10, 10, 5]) {
      turns.push(pacer.nextAt.getTime() - plan.startAt);
      pacer.take(emails);
    }
    expect(turns).toEqual([0, 1000, 2000]);
    expect(pacer.nextAt.getTime()).toBe(plan.lastAt);
    expect(new SendPacer(plan, 100_000).chunk).toBe(200);
    expect(new SendPacer(plan, 0.5).chunk).toBe(1);
  });

  it('spreads rows already written by their e-mails, in-app rows riding with them', () => {
    const pacer = new SendPacer({ startAt: DUE, lastAt: DUE, lateMs: 0 }, 2);
    const rows = ['email', 'in_app', 'email', 'in_app', 'in_app', 'email'].map((channel, i) => ({
      id: `d${i}`,
      channel,
    }));
    expect(pacer.spread(rows).map((r) => r.sendAt.getTime() - DUE)).toEqual([0, 0, 0, 0, 0, 1000]);
    // The next chunk waits for all three.
    expect(pacer.nextAt.getTime() - DUE).toBe(1500);
  });
});
