import { AppConfig } from '@pavilion/config';
import { DeliveryLedgerRepository, NewDelivery } from './delivery-ledger.repository';
import { JobQueues, OutboxJob } from './job-contracts';
import { MeetingFanout } from './meeting-fanout';
import { MeetingFacts, MeetingNoticesRepository } from './meeting-notices.repository';
import { ItemFacts, UserFacts } from './notice-facts';

const HOUR = 3600_000;
const START = Date.now() + 3 * 24 * HOUR;

/** A published session whose meetings all start at START, with one reminder an hour before. */
const item = {
  id: 'session',
  status: 'scheduled',
  version: 1,
  reminderOffsets: [60],
  programmeStatus: 'published',
} as ItemFacts;

/** `n` meetings at START, parties p<2i> and p<2i+1>; every odd party has e-mail off. */
function publication(n: number) {
  const meetings = new Map<string, MeetingFacts>();
  const people = new Map<string, UserFacts>();
  for (let i = 0; i < n; i++) {
    const parties = [2 * i, 2 * i + 1].map((p) => ({ userId: `p${p}`, name: `P${p}`, company: 'C' }));
    meetings.set(`m${i}`, {
      id: `m${i}`,
      status: 'scheduled',
      version: 1,
      startsAt: new Date(START),
      parties,
    } as unknown as MeetingFacts);
    for (const { userId } of parties)
      people.set(userId, {
        id: userId,
        notificationPreferences: { email: Number(userId.slice(1)) % 2 === 0 },
      } as UserFacts);
  }
  return { meetings, people };
}

/** The fan-out over recorded writes and sends; `smtpMaxPerSecond` as configured. */
function fanout(n: number, smtpMaxPerSecond?: number) {
  const { meetings, people } = publication(n);
  const written: NewDelivery[] = [];
  const sends: { id: string; dueAt?: Date; sendAt?: Date }[] = [];
  const ledger = {
    createDeliveries: async (rows: NewDelivery[]) =>
      rows.map((row) => {
        written.push(row);
        return { id: `d${written.length}`, channel: row.channel };
      }),
  } as unknown as DeliveryLedgerRepository;
  const repository = {
    meetings: async (ids: string[]) => new Map(ids.map((id) => [id, meetings.get(id)])),
    users: async (ids: string[]) => new Map(ids.map((id) => [id, people.get(id)])),
  } as unknown as MeetingNoticesRepository;
  const queues = {
    queueSends: async (batch: typeof sends) => void sends.push(...batch),
  } as unknown as JobQueues;
  const config = { smtpMaxPerSecond, reminderMaxEarlyMs: 30 * 60_000 } as AppConfig;
  const event = {
    kind: 'meeting_scheduled',
    payload: { meetingIds: [...meetings.keys()] },
    outboxId: '1',
  } as unknown as OutboxJob;
  return {
    written,
    sends,
    publish: () => new MeetingFanout(ledger, repository, queues, config).notices(event, item),
  };
}

const reminders = (rows: NewDelivery[]) => rows.filter((r) => r.kind === 'meeting_reminder');

describe('MeetingFanout: reminders of a publication', () => {
  it('without a cap, releases every reminder at its due time', async () => {
    const { written, sends, publish } = fanout(30);
    await publish();
    expect(reminders(written)).toHaveLength(60);
    expect(reminders(written).every((r) => r.sendAt === undefined)).toBe(true);
    expect(new Set(sends.map((s) => (s.sendAt ?? s.dueAt)?.getTime()))).toEqual(new Set([START - HOUR]));
  });

  it('under SMTP_MAX_PER_SECOND, paces the e-mails so that the last leaves by the due time', async () => {
    const { written, sends, publish } = fanout(30, 10);
    await publish();
    const due = START - HOUR;
    // 30 e-mails (the even parties) and 30 in-app notices, in three chunks of ten e-mails a second apart,
    // the last chunk released at least the finish margin before the due time.
    const times = [...new Set(reminders(written).map((r) => r.sendAt?.getTime() ?? NaN))].sort(
      (a, b) => a - b,
    );
    expect(times.map((t) => t - times[0])).toEqual([0, 1000, 2000]);
    expect(times[2]).toBeLessThanOrEqual(due - 2000);
    for (const at of times)
      expect(
        reminders(written).filter((r) => r.sendAt?.getTime() === at && r.channel === 'email'),
      ).toHaveLength(10);
    // Each row is queued at the time written on it.
    expect(sends.filter((s) => times.includes(s.sendAt?.getTime() ?? NaN))).toHaveLength(60);
  });
});
