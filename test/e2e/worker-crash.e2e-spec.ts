import { until } from '../support/smtp-sink';
import { NotificationStack, soonProgramme } from '../support/stack';
import { exited, WorkerProcesses } from '../support/worker-process';

const CROWD = 2000;

describe('worker crashes and replicas: every registrant gets exactly one reminder', () => {
  let stack: NotificationStack;
  const workers = new WorkerProcesses(() => stack.env);
  const children = workers.children;
  const spawnWorker = () => workers.spawn();

  beforeAll(async () => (stack = await NotificationStack.start('crash', {}, { inProcessWorker: false })));
  afterAll(async () => {
    await workers.stopAll();
    await stack.close();
  });

  it(`survives SIGKILL in the middle of a fan-out to ${CROWD} and two workers sharing the rest`, async () => {
    const { tree, organizer, programme } = await soonProgramme(stack.world, { reminderOffsetsMinutes: [1] });
    const admin = await stack.world.adminToken();
    const hall = await stack.world.ok(
      stack.api.post(
        `/api/pavilions/${tree.pavilion.id}/spaces`,
        { name: 'Congress hall', capacity: CROWD, kind: 'hall' },
        { token: admin },
      ),
    );
    const startsAt = new Date(Math.ceil((Date.now() + 75_000) / 1000) * 1000);
    const item = await stack.world.item(organizer.token, programme, {
      type: 'business_forum',
      title: 'Business energy — development energy',
      spaceId: hall.id,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3600_000).toISOString(),
    });
    // One registration through the API (its event schedules the reminder); the crowd straight into the tables.
    const first = await stack.world.signup();
    await stack.world.ok(stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: first.token }));
    await stack.db.query(
      `WITH crowd AS (
         INSERT INTO users (email, password_hash, display_name, calendar_feed_token)
         SELECT 'crowd-' || g || '@e2e.test', 'unused', 'Guest ' || g, md5(random()::text) || g FROM generate_series(1, $2::int) g
         RETURNING id)
       INSERT INTO registrations (item_id, user_id, status, check_in_code)
       SELECT $1, id, 'confirmed', upper(lpad(to_hex(row_number() OVER ()), 8, '0')) FROM crowd`,
      [item.id, CROWD - 1],
    );
    await stack.db.query('UPDATE programme_items SET confirmed_count = confirmed_count + $2 WHERE id = $1', [
      item.id,
      CROWD - 1,
    ]);

    const a = spawnWorker();
    const atKill = await until(
      async () => {
        const { rows } = await stack.db.query(
          `SELECT count(*)::int AS n FROM deliveries WHERE item_id = $1 AND kind = 'reminder'`,
          [item.id],
        );
        return rows[0].n > 0 ? (rows[0].n as number) : undefined;
      },
      60_000,
      'the fan-out to start',
    );
    await workers.kill(a);
    const fanoutDoneAtKill = (
      await stack.db.query('SELECT 1 FROM reminder_fanouts WHERE item_id = $1', [item.id])
    ).rowCount;
    console.warn(
      `worker killed with ${atKill} of ${CROWD} reminder deliveries written (fan-out ${fanoutDoneAtKill ? 'already complete' : 'incomplete'})`,
    );

    spawnWorker();
    spawnWorker();
    await stack.sink.waitFor(
      (all) => new Set(all.filter((m) => m.subject.startsWith('Reminder')).map((m) => m.to)).size === CROWD,
      90_000,
      'every reminder',
    );
    await stack.deliveriesSettled(item.id);

    const perRecipient = new Map<string, number>();
    for (const m of stack.sink.messages.filter((m) => m.subject.startsWith('Reminder')))
      perRecipient.set(m.to, (perRecipient.get(m.to) ?? 0) + 1);
    expect(perRecipient.size).toBe(CROWD);
    expect([...perRecipient.values()].filter((n) => n !== 1)).toEqual([]);
    const { rows } = await stack.db.query(
      `SELECT channel, status, count(*)::int AS n FROM deliveries WHERE item_id = $1 AND kind = 'reminder' GROUP BY 1, 2 ORDER BY 1, 2`,
      [item.id],
    );
    expect(rows).toEqual([
      { channel: 'email', status: 'sent', n: CROWD },
      { channel: 'in_app', status: 'sent', n: CROWD },
    ]);
  });

  it('stops gracefully on SIGTERM: exit code 0, nothing left half-sent', async () => {
    for (const earlier of children) earlier.kill('SIGTERM');
    await Promise.all(children.map(exited));
    expect(children.filter((c) => c.signalCode !== 'SIGKILL').map((c) => c.exitCode)).toEqual([0, 0]);
    const { tree, organizer, programme } = await soonProgramme(stack.world);
    const item = await stack.world.item(organizer.token, programme, {
      type: 'round_table',
      title: 'Round table before shutdown',
      spaceId: tree.room.id,
      startsAt: new Date(Date.now() + 20 * 60_000).toISOString(),
      endsAt: new Date(Date.now() + 50 * 60_000).toISOString(),
    });
    const people = [await stack.world.signup(), await stack.world.signup(), await stack.world.signup()];
    const worker = spawnWorker();
    await Promise.all(
      people.map((p) =>
        stack.world.ok(stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: p.token })),
      ),
    );
    await until(async () => {
      const { rows } = await stack.db.query(
        `SELECT count(*)::int AS n FROM deliveries WHERE item_id = $1 AND status = 'sent'`,
        [item.id],
      );
      return rows[0].n > 0 ? true : undefined;
    });
    worker.kill('SIGTERM');
    await exited(worker);
    expect(worker.exitCode).toBe(0);
    const { rows } = await stack.db.query(
      `SELECT count(*)::int AS n FROM deliveries WHERE item_id = $1 AND status = 'sending'`,
      [item.id],
    );
    expect(rows[0].n).toBe(0);

    spawnWorker();
    await stack.sink.waitFor(
      () => people.every((p) => stack.sink.to(p.email).length === 1),
      30_000,
      'every confirmation',
    );
  });
});
