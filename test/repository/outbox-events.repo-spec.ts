import { DataSource } from 'typeorm';
import { loadConfig } from '@pavilion/config';
import { OutboxRow } from '@pavilion/database';
import { AudienceRepository } from '../../libs/notifications/src/audience.repository';
import { DeliveryLedgerRepository } from '../../libs/notifications/src/delivery-ledger.repository';
import { JobQueues, RegistrantEvent } from '../../libs/notifications/src/job-contracts';
import { MeetingFanout } from '../../libs/notifications/src/meeting-fanout';
import { MeetingNoticesRepository } from '../../libs/notifications/src/meeting-notices.repository';
import { isRegistrantKind } from '../../libs/notifications/src/notice-kinds';
import { OutboxEventHandler } from '../../libs/notifications/src/outbox-event.handler';
import { OutboxEventsHandler } from '../../libs/notifications/src/outbox-events.handler';
import { outboxJob } from '../../libs/notifications/src/outbox-groups';
import { ReminderFanoutHandler } from '../../libs/notifications/src/reminder-fanout.handler';
import { SpeakerAudienceRepository } from '../../libs/notifications/src/speaker-audience.repository';
import { SeatClaimsRepository } from '../../libs/registrations/src/seat-claims.repository';
import { openDatabase, Rows } from '../support/repository-fixtures';

/**
 * What the handlers ask of Redis, recorded instead of queued (this tier has no Redis): the sends and the reminder
 * fan-outs. With `fanoutStarted` every fan-out has begun, so new seats get their reminders written at once.
 */
class RecordedQueues {
  sends: string[][] = [];
  fanouts: string[] = [];
  constructor(private readonly fanoutStarted: boolean) {}

  async queueSends(deliveries: { id: string }[]): Promise<void> {
    this.sends.push(deliveries.map((d) => d.id));
  }
  async addNoLaterThan(_name: string, _data: unknown, jobId: string, delayMs: number): Promise<Date | null> {
    this.fanouts.push(jobId);
    return this.fanoutStarted ? null : new Date(Date.now() + delayMs);
  }
  async add(): Promise<void> {}
  async remove(): Promise<void> {}
}

/**
 * The `outbox-events` job against the `outbox-event` job, on the database: a group of registrant events gets
 * exactly the ledger rows and reminder fan-outs that handling them one by one gives, in a few statements.
 */
describe('Registrant events handled in bulk (repository)', () => {
  let db: DataSource;
  let rows: Rows;
  let registrations: SeatClaimsRepository;
  let audience: AudienceRepository;
  let ledger: DeliveryLedgerRepository;

  beforeAll(async () => {
    db = await openDatabase();
    rows = new Rows(db);
    registrations = new SeatClaimsRepository(db);
    audience = new AudienceRepository(db);
    ledger = new DeliveryLedgerRepository(db);
  });
  afterAll(() => db.destroy());

  function handlers(fanoutStarted: boolean) {
    const recorded = new RecordedQueues(fanoutStarted);
    const queues = recorded as unknown as JobQueues;
    const config = loadConfig({});
    const reminders = new ReminderFanoutHandler(audience, ledger, queues, config);
    const single = new OutboxEventHandler(
      audience,
      ledger,
      queues,
      config,
      new MeetingFanout(ledger, new MeetingNoticesRepository(db), queues, config),
      reminders,
      new SpeakerAudienceRepository(db),
    );
    return { recorded, single, bulk: new OutboxEventsHandler(audience, ledger, queues, reminders) };
  }

  /**
   * Two items a week away in one group: the first (two seats, a webhook) with a confirmation, one with email off,
   * a waitlisting, then a cancellation that promotes the waitlisted; the second with someone on own offsets.
   */
  async function registrantEvents(): Promise<{ itemIds: string[]; events: RegistrantEvent[] }> {
    const { itemId: first } = await rows.item({ capacity: 2 });
    const { itemId: second } = await rows.item({ capacity: 5 });
    await db.query(
      `INSERT INTO webhooks (organization_id, url, secret)
       SELECT p.organization_id, 'https://hooks.example.test/pavilion', 'whsec_test'
         FROM programme_items i JOIN programmes p ON p.id = i.programme_id WHERE i.id = $1`,
      [first],
    );
    const [leaves, quiet, waits] = [
      await rows.person(),
      await rows.person({ email: false }),
      await rows.person(),
    ];
    const ownOffsets = await rows.person({ reminderOffsetsMinutes: [30] });
    await registrations.claimBatch(first, [leaves, quiet, waits], new Date());
    await registrations.cancel(first, leaves);
    await registrations.claimBatch(second, [ownOffsets, leaves], new Date());
    const outbox: OutboxRow[] = await db.query(
      `SELECT id::text, kind, item_id AS "itemId", registration_id AS "registrationId", user_id AS "userId",
              item_version AS "itemVersion", payload, created_at AS "createdAt"
         FROM outbox WHERE item_id = ANY($1::uuid[]) ORDER BY outbox.id`,
      [[first, second]],
    );
    const events = outbox.map(outboxJob).filter((e): e is RegistrantEvent => isRegistrantKind(e.kind));
    expect(events.map((e) => e.kind)).toEqual([
      'registration_confirmed',
      'registration_confirmed',
      'waitlisted',
      'waitlist_promoted',
      'registration_cancelled',
      'registration_confirmed',
      'registration_confirmed',
    ]);
    return { itemIds: [first, second], events };
  }

  /** The ledger rows of these items, as their unique key and content say, in one order. */
  const ledgerRows = async (itemIds: string[]) =>
    db.query(
      `SELECT recipient, user_id, webhook_id, channel, kind, item_id, item_version, offset_minutes, ref,
              registration_id, payload, due_at IS NOT NULL AS due, status
         FROM deliveries WHERE item_id = ANY($1::uuid[])
        ORDER BY item_id, kind, recipient, channel, offset_minutes, ref`,
      [itemIds],
    );

  it.each([
    ['their fan-outs ahead', false],
    ['their fan-outs begun (reminders written at once)', true],
  ])('a group gets the rows one by one would give, %s', async (_, fanoutStarted) => {
    const { itemIds, events } = await registrantEvents();

    const one = handlers(fanoutStarted);
    for (const event of events) await one.single.handle(event);
    const oneByOne = await ledgerRows(itemIds);
    await db.query('DELETE FROM deliveries WHERE item_id = ANY($1::uuid[])', [itemIds]);

    const all = handlers(fanoutStarted);
    await all.bulk.handle({ events });
    const together = await ledgerRows(itemIds);

    expect(together).toEqual(oneByOne);
    const count = (kind: (k: string) => boolean) =>
      together.filter((r: { kind: string }) => kind(r.kind)).length;
    // One row a message (an e-mail row carries its in-app notice; the quiet one's is in the app only). The first
    // item: 5 of its registrants' own and 5 to its webhook; the second: 2. With the fan-outs begun, reminders for
    // each seat held: the first item's three people at two offsets, the second's one at its own one.
    expect(count((k) => k !== 'reminder')).toBe(10 + 2);
    expect(count((k) => k === 'reminder')).toBe(fanoutStarted ? 3 * 2 + 1 : 0);

    // The same fan-outs, each asked for once per item (5) instead of once per seat (7)...
    expect(new Set(all.recorded.fanouts)).toEqual(new Set(one.recorded.fanouts));
    expect([one.recorded.fanouts.length, all.recorded.fanouts.length]).toEqual([7, 5]);
    // ...and the rows queued for sending together (and a fan-out's own), not per event.
    expect(all.recorded.sends).toHaveLength(fanoutStarted ? 5 + 1 : 1);
    expect(one.recorded.sends.length).toBeGreaterThanOrEqual(events.length);
    const ids = await db.query('SELECT id FROM deliveries WHERE item_id = ANY($1::uuid[])', [itemIds]);
    expect(all.recorded.sends.flat().sort()).toEqual(ids.map((r: { id: string }) => r.id).sort());

    // A relay retry that hands the group over again adds nothing.
    const again = handlers(fanoutStarted);
    await again.bulk.handle({ events });
    expect(again.recorded.sends.flat()).toEqual([]);
    expect(await ledgerRows(itemIds)).toEqual(together);
  });
});
