import { DataSource } from 'typeorm';
import { DeliveryLedgerRepository } from '../../libs/notifications/src/delivery-ledger.repository';
import { openDatabase, Rows } from '../support/repository-fixtures';

/** The delivery ledger's public methods on the database alone: written once, claimed under a lease, finished. */
describe('Delivery ledger: claim and finish (repository)', () => {
  let db: DataSource;
  let rows: Rows;
  let ledger: DeliveryLedgerRepository;

  beforeAll(async () => {
    db = await openDatabase();
    rows = new Rows(db);
    ledger = new DeliveryLedgerRepository(db);
  });
  afterAll(() => db.destroy());

  /** One message to one person on two channels: two rows of the ledger. */
  async function message(): Promise<{ ids: string[]; userId: string; itemId: string }> {
    const { itemId } = await rows.item();
    const userId = await rows.person();
    const twins = (['email', 'in_app'] as const).map((channel) => ({
      userId,
      channel,
      kind: 'reminder' as const,
      itemId,
      itemVersion: 1,
      offsetMinutes: 60,
    }));
    const ids = (await ledger.createDeliveries(twins)).map((d) => d.id);
    expect(ids).toHaveLength(2);
    expect(await ledger.createDeliveries(twins)).toEqual([]);
    return { ids, userId, itemId };
  }

  const state = async (ids: string[]) =>
    (await db.query(
      `SELECT status, attempts, lease_until > now() AS leased, sent_at IS NOT NULL AS sent, subject
         FROM deliveries WHERE id = ANY($1::uuid[]) ORDER BY channel`,
      [ids],
    )) as {
      status: string;
      attempts: number;
      leased: boolean | null;
      sent: boolean;
      subject: string | null;
    }[];

  it('claims pending twins as one notice, under a lease that keeps a second claim out', async () => {
    const { ids, userId, itemId } = await message();
    const claimed = await ledger.claimDeliveries(ids, 60_000);
    expect(claimed).toHaveLength(1);
    const text = JSON.stringify(claimed);
    for (const value of [...ids, userId, itemId]) expect(text).toContain(value);
    expect(await state(ids)).toEqual([
      { status: 'sending', attempts: 1, leased: true, sent: false, subject: null },
      { status: 'sending', attempts: 1, leased: true, sent: false, subject: null },
    ]);
    expect(await ledger.claimDeliveries(ids, 60_000)).toEqual([]);
  });

  it('claims again once the lease has expired, counting the attempt', async () => {
    const { ids } = await message();
    await ledger.claimDeliveries(ids, -1_000);
    expect(await ledger.claimDeliveries(ids, 60_000)).toHaveLength(1);
    expect((await state(ids)).map((r) => [r.status, r.attempts])).toEqual([
      ['sending', 2],
      ['sending', 2],
    ]);
  });

  it('finishes each with its outcome; pending puts one back to be claimed again', async () => {
    const { ids } = await message();
    await ledger.claimDeliveries(ids, 60_000);
    const [email, inApp] = ids;
    await ledger.finishDeliveries([
      { id: email, outcome: 'sent', subject: 'Starts in an hour' },
      { id: inApp, outcome: 'pending', error: 'try later' },
    ]);
    expect(await state(ids)).toEqual([
      { status: 'sent', attempts: 1, leased: null, sent: true, subject: 'Starts in an hour' },
      { status: 'pending', attempts: 1, leased: null, sent: false, subject: null },
    ]);
    const again = await ledger.claimDeliveries(ids, 60_000);
    expect(JSON.stringify(again)).toContain(inApp);
    expect(JSON.stringify(again)).not.toContain(email);
  });

  it('leaves a paced row to its own send job until its send time, even past its due time', async () => {
    const { itemId } = await rows.item();
    const userId = await rows.person();
    const dueAt = new Date(Date.now() - 60_000);
    const row = (sendAt: Date | undefined, ref: string) => ({
      userId,
      channel: 'email' as const,
      kind: 'reminder' as const,
      itemId,
      itemVersion: 1,
      offsetMinutes: 60,
      ref,
      dueAt,
      sendAt,
    });
    const [paced] = await ledger.createDeliveries([row(new Date(Date.now() + 60_000), 'paced')]);
    const [plain] = await ledger.createDeliveries([row(undefined, 'plain')]);
    await db.query(`UPDATE deliveries SET updated_at = now() - interval '1 hour' WHERE item_id = $1`, [
      itemId,
    ]);
    const stale = (await ledger.pendingDeliveries({ olderThan: new Date() })).map((d) => d.id);
    expect(stale).toContain(plain.id);
    expect(stale).not.toContain(paced.id);
    // The fan-out's own view holds both.
    const mine = await ledger.pendingDeliveries({ itemId, kind: 'reminder', offsetMinutes: 60, version: 1 });
    expect(mine.map((d) => d.id).sort()).toEqual([paced.id, plain.id].sort());
  });

  /** One message to one person by e-mail: its one row, which carries the in-app notice. */
  async function letter(): Promise<{ id: string; userId: string; itemId: string }> {
    const { itemId } = await rows.item();
    const userId = await rows.person();
    const [{ id }] = await ledger.createDeliveries([
      { userId, channel: 'email', kind: 'reminder', itemId, itemVersion: 1, offsetMinutes: 60 },
    ]);
    return { id, userId, itemId };
  }

  const rowsOf = (itemId: string) =>
    db.query(
      `SELECT channel, status, recipient, kind, item_version AS "itemVersion", offset_minutes AS "offsetMinutes",
              ref, subject, body, last_error AS error, sent_at IS NOT NULL AS sent
         FROM deliveries WHERE item_id = $1 ORDER BY channel`,
      [itemId],
    );

  it("claims a person's e-mail row with the in-app notice it carries, and writes that notice once, when it is sent", async () => {
    const { id, userId, itemId } = await letter();
    const [claimed] = await ledger.claimDeliveries([id], 60_000);
    expect(claimed.notice.deliveries).toEqual([
      { id, channel: 'email' },
      { id, channel: 'in_app', carried: true },
    ]);
    await ledger.finishDeliveries([
      { id, outcome: 'pending', error: 'SMTP 451' },
      {
        id,
        carried: true,
        outcome: 'sent',
        subject: 'Starts in an hour',
        body: 'The forum starts at 15:00.',
      },
    ]);
    const key = { recipient: `user:${userId}`, kind: 'reminder', itemVersion: 1, offsetMinutes: 60, ref: '' };
    expect(await rowsOf(itemId)).toEqual([
      {
        channel: 'email',
        status: 'pending',
        ...key,
        subject: null,
        body: null,
        error: 'SMTP 451',
        sent: false,
      },
      {
        channel: 'in_app',
        status: 'sent',
        ...key,
        subject: 'Starts in an hour',
        body: 'The forum starts at 15:00.',
        error: null,
        sent: true,
      },
    ]);

    // The letter's retry carries the notice again; the notice is already written, and stays one row as it was.
    const [again] = await ledger.claimDeliveries([id], 60_000);
    expect(again.notice.deliveries.map((d) => d.channel)).toEqual(['email', 'in_app']);
    await ledger.finishDeliveries([
      { id, outcome: 'sent', subject: 'Starts in an hour' },
      { id, carried: true, outcome: 'sent', subject: 'Changed', body: 'Changed' },
    ]);
    const after = await rowsOf(itemId);
    expect(after.map((r: { channel: string; status: string }) => [r.channel, r.status])).toEqual([
      ['email', 'sent'],
      ['in_app', 'sent'],
    ]);
    expect(after[1].body).toBe('The forum starts at 15:00.');
  });

  it('writes no carried notice that was skipped, nor one whose letter is no longer this send', async () => {
    const skipped = await letter();
    await ledger.claimDeliveries([skipped.id], 60_000);
    await ledger.finishDeliveries([
      { id: skipped.id, outcome: 'skipped', error: 'registration cancelled' },
      { id: skipped.id, carried: true, outcome: 'skipped', error: 'registration cancelled' },
    ]);
    expect((await rowsOf(skipped.itemId)).map((r: { channel: string }) => r.channel)).toEqual(['email']);

    // Another send finished the letter first (its lease had run out): this send's notice is not written.
    const late = await letter();
    await ledger.claimDeliveries([late.id], 60_000);
    await ledger.finishDeliveries([{ id: late.id, outcome: 'sent', subject: 'First' }]);
    await ledger.finishDeliveries([
      { id: late.id, carried: true, outcome: 'sent', subject: 'Late', body: 'Late' },
    ]);
    expect((await rowsOf(late.itemId)).map((r: { channel: string }) => r.channel)).toEqual(['email']);
  });

  it('carries no in-app notice for a message with its own in-app row, nor for one to no person (a webhook)', async () => {
    const { ids } = await message();
    const [twins] = await ledger.claimDeliveries(ids, 60_000);
    expect(twins.notice.deliveries.map((d) => [d.channel, d.carried])).toEqual([
      ['email', undefined],
      ['in_app', undefined],
    ]);
    const { itemId } = await rows.item();
    const [hook] = await db.query(
      `INSERT INTO webhooks (organization_id, url, secret)
       SELECT p.organization_id, 'https://hooks.example.test/pavilion', 'whsec_test'
         FROM programme_items i JOIN programmes p ON p.id = i.programme_id WHERE i.id = $1 RETURNING id`,
      [itemId],
    );
    const [webhookRow] = await ledger.createDeliveries([
      { webhookId: hook.id, channel: 'webhook', kind: 'item_cancelled', itemId, itemVersion: 1 },
    ]);
    const [claimed] = await ledger.claimDeliveries([webhookRow.id], 60_000);
    expect(claimed.notice.deliveries).toEqual([{ id: webhookRow.id, channel: 'webhook' }]);
  });

  it('leaves alone a row that is no longer being sent', async () => {
    const { ids } = await message();
    await ledger.claimDeliveries(ids, 60_000);
    await ledger.finishDeliveries(ids.map((id) => ({ id, outcome: 'sent' as const, subject: 'First' })));
    await ledger.finishDeliveries(ids.map((id) => ({ id, outcome: 'failed' as const, subject: 'Second' })));
    expect((await state(ids)).map((r) => [r.status, r.subject])).toEqual([
      ['sent', 'First'],
      ['sent', 'First'],
    ]);
  });
});
