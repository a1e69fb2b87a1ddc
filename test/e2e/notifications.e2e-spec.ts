import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import { Webhook } from 'standardwebhooks';
import { WorkerHttpServer } from '../../apps/worker/src/worker-http.server';
import { expectProblem } from '../support/api';
import { until } from '../support/smtp-sink';
import { NotificationStack, soonProgramme } from '../support/stack';

describe('notifications: the worker tells every participant once, on time, in their language', () => {
  let stack: NotificationStack;
  let setup: Awaited<ReturnType<typeof soonProgramme>>;

  beforeAll(async () => {
    stack = await NotificationStack.start('notify');
    setup = await soonProgramme(stack.world, { reminderOffsetsMinutes: [1] });
  });
  afterAll(() => stack.close());

  let slot = 0;
  /** An item starting `leadSeconds` from now in a space of its own (rooms never clash between tests). */
  const itemStartingIn = async (leadSeconds: number, body: Record<string, unknown> = {}) => {
    const space = await stack.world.ok(
      stack.api.post(
        `/api/pavilions/${setup.tree.pavilion.id}/spaces`,
        { name: `Room ${++slot}`, capacity: 50, kind: 'round_table' },
        { token: await stack.world.adminToken() },
      ),
    );
    const startsAt = new Date(Math.ceil((Date.now() + leadSeconds * 1000) / 1000) * 1000);
    return stack.world.item(setup.organizer.token, setup.programme, {
      type: 'round_table',
      title: `Round table on smart cities ${slot}`,
      spaceId: space.id,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 30 * 60_000).toISOString(),
      ...body,
    });
  };
  const register = (itemId: string, token: string) =>
    stack.world.ok(stack.api.post(`/api/items/${itemId}/registrations`, {}, { token }));

  it('confirms a registration by email and in the app, in the attendee language and venue time', async () => {
    const item = await itemStartingIn(2 * 3600, { capacity: 1 });
    const ru = await stack.world.signup({ locale: 'ru', displayName: 'Иван' });
    const kk = await stack.world.signup({ locale: 'kk', displayName: 'Айгерім' });
    await register(item.id, ru.token);
    await register(item.id, kk.token);

    await stack.sink.waitFor(
      () => stack.sink.to(ru.email).length === 1 && stack.sink.to(kk.email).length === 1,
      10_000,
      'confirmations',
    );
    const [confirmation] = stack.sink.to(ru.email);
    expect(confirmation.subject).toContain('Подтверждено');
    expect(confirmation.subject).toContain(item.title);
    expect(confirmation.text).toContain('Иван');
    expect(confirmation.hasCalendar).toBe(true);
    const localStart = item.startsAt.slice(11, 16);
    expect(confirmation.subject).toContain(localStart);
    const [waitlisted] = stack.sink.to(kk.email);
    expect(waitlisted.subject).toContain('Күту тізімі');

    // An email reaches the server before its batch's outcomes are recorded; the in-app list shows what is recorded.
    await stack.deliveriesSettled(item.id);
    const inbox = await stack.world.ok(stack.api.get('/api/me/notifications', { token: ru.token }));
    expect(inbox.items).toEqual([
      expect.objectContaining({
        kind: 'registration_confirmed',
        itemId: item.id,
        title: confirmation.subject,
        channels: ['email', 'in_app'],
      }),
    ]);
    // The in-app text is the letter's without the greeting: the app knows who is reading.
    expect(inbox.items[0].body).toContain('Ваша регистрация подтверждена.');
    expect(inbox.items[0].body).not.toContain('Иван');
    expect(confirmation.text).toContain(inbox.items[0].body);
  });

  it('sends a reminder at its time, only to the confirmed who allow reminders', async () => {
    // People sign up first: password hashing must not eat into the few seconds before the due time.
    const [allows, optedOut, ownOffsets, waitlisted] = [
      await stack.world.signup(),
      await stack.world.signup(),
      await stack.world.signup(),
      await stack.world.signup(),
    ];
    const item = await itemStartingIn(60 + 6, { capacity: 3 });
    const dueAt = new Date(item.startsAt).getTime() - 60_000;
    await stack.world.ok(
      stack.api.patch(
        '/api/me',
        { notificationPreferences: { reminders: false } },
        { token: optedOut.token },
      ),
    );
    // Own offsets replace the programme's; this person's 2-minute reminder was due before they registered: none comes late.
    await stack.world.ok(
      stack.api.patch(
        '/api/me',
        { notificationPreferences: { reminderOffsetsMinutes: [2] } },
        { token: ownOffsets.token },
      ),
    );
    for (const person of [allows, optedOut, ownOffsets, waitlisted]) await register(item.id, person.token);

    const isReminder = (m: { subject: string }) => m.subject.startsWith('Reminder');
    await stack.sink.waitFor(() => stack.sink.to(allows.email).some(isReminder), 20_000, 'the reminder');
    const reminder = stack.sink.to(allows.email).find(isReminder) as (typeof stack.sink.messages)[number];
    expect(reminder.receivedAt).toBeGreaterThanOrEqual(dueAt - 50);
    expect(reminder.receivedAt - dueAt).toBeLessThan(1000);
    expect(reminder.subject).toContain('starts in 1 minute');
    expect(reminder.listUnsubscribe).toContain('/api/notifications/unsubscribe?token=');

    await stack.fanoutDone(item.id, 10_000);
    await stack.deliveriesSettled(item.id);
    expect(stack.sink.to(optedOut.email).filter(isReminder)).toEqual([]);
    expect(stack.sink.to(ownOffsets.email).filter(isReminder)).toEqual([]);
    expect(stack.sink.to(waitlisted.email).filter(isReminder)).toEqual([]);
    expect(stack.sink.to(allows.email).filter(isReminder)).toHaveLength(1);

    // The unsubscribe link works without signing in: a GET only shows the confirmation page (RFC 8058), the
    // one-click POST turns reminders off; a token with anything added is not the token.
    expect(reminder.listUnsubscribePost).toBe('List-Unsubscribe=One-Click');
    const link = new URL((reminder.listUnsubscribe as string).replace(/[<>]/g, ''));
    const path = `${link.pathname}${link.search}`;
    const reminders = async () =>
      (await stack.world.ok(stack.api.get('/api/me', { token: allows.token }))).notificationPreferences
        .reminders;
    const page = await stack.api.get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post"');
    expect(await reminders()).toBe(true);
    const oneClick = { 'content-type': 'application/x-www-form-urlencoded' };
    expectProblem(
      await stack.api.request('POST', `${path}.anything`, undefined, {
        headers: oneClick,
        raw: 'List-Unsubscribe=One-Click',
      }),
      404,
    );
    expect(await reminders()).toBe(true);
    const post = await stack.api.request('POST', path, undefined, {
      headers: oneClick,
      raw: 'List-Unsubscribe=One-Click',
    });
    expect(post.status).toBe(200);
    expect(await reminders()).toBe(false);
    expectProblem(await stack.api.get('/api/notifications/unsubscribe?token=forged.token'), 404);
  });

  it('reminds a person who registers after the fan-out ran but before the due time', async () => {
    const [early, late] = [await stack.world.signup(), await stack.world.signup()];
    const item = await itemStartingIn(60 + 6);
    const dueAt = new Date(item.startsAt).getTime() - 60_000;
    await register(item.id, early.token);
    await stack.fanoutDone(item.id, 15_000);
    await register(item.id, late.token);
    expect(Date.now()).toBeLessThan(dueAt);

    const isReminder = (m: { subject: string }) => m.subject.startsWith('Reminder');
    await stack.sink.waitFor(
      () => [early, late].every((p) => stack.sink.to(p.email).some(isReminder)),
      15_000,
      'both reminders',
    );
    const lateReminder = stack.sink.to(late.email).find(isReminder) as (typeof stack.sink.messages)[number];
    expect(lateReminder.receivedAt).toBeGreaterThanOrEqual(dueAt - 50);
    await stack.deliveriesSettled(item.id);
    expect(stack.sink.to(early.email).filter(isReminder)).toHaveLength(1);
    expect(stack.sink.to(late.email).filter(isReminder)).toHaveLength(1);
  });

  it('after a reschedule, never sends the old time reminder; sends the new one and one coalesced notice', async () => {
    const person = await stack.world.signup();
    const item = await itemStartingIn(60 + 8);
    await register(item.id, person.token);
    const oldJob = `reminder-${item.id}-1-v1`;
    await until(
      async () => ((await stack.workerQueueJob(oldJob)) ? true : undefined),
      10_000,
      'the reminder job',
    );

    const newStart = new Date(new Date(item.startsAt).getTime() + 10_000);
    const otherSpace = await stack.world.ok(
      stack.api.post(
        `/api/pavilions/${setup.tree.pavilion.id}/spaces`,
        { name: `Hall B ${slot}`, capacity: 50, kind: 'hall' },
        { token: await stack.world.adminToken() },
      ),
    );
    // Two edits inside the change window: one notice with the net change.
    await stack.world.ok(
      stack.api.patch(
        `/api/items/${item.id}`,
        { startsAt: newStart.toISOString(), endsAt: new Date(newStart.getTime() + 1800_000).toISOString() },
        { token: setup.organizer.token },
      ),
    );
    await stack.world.ok(
      stack.api.patch(`/api/items/${item.id}`, { spaceId: otherSpace.id }, { token: setup.organizer.token }),
    );
    const newDue = newStart.getTime() - 60_000;

    await stack.sink.waitFor(
      (all) => all.some((m) => m.to === person.email && m.subject.startsWith('Reminder')),
      30_000,
      'the new reminder',
    );
    const reminders = stack.sink.to(person.email).filter((m) => m.subject.startsWith('Reminder'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0].receivedAt).toBeGreaterThanOrEqual(newDue - 50);
    const moved = stack.sink.to(person.email).filter((m) => m.subject.startsWith('Moved'));
    expect(moved).toHaveLength(1);
    expect(moved[0].subject).toContain(`Hall B ${slot}`);
    expect(moved[0].text).toContain(`Room ${slot}`);
    expect(moved[0].hasCalendar).toBe(true);
  });

  it('counts a person told only once a change notice is sent: a notice gone stale leaves the next one from what they knew', async () => {
    const item = await itemStartingIn(2 * 3600);
    const person = await stack.world.signup();
    await register(item.id, person.token);
    await stack.sink.waitFor(() => stack.sink.to(person.email).length === 1, 10_000, 'the confirmation');
    const moveTo = (hoursLater: number) => {
      const start = new Date(new Date(item.startsAt).getTime() + hoursLater * 3600_000);
      return stack.world.ok(
        stack.api.patch(
          `/api/items/${item.id}`,
          { startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 1800_000).toISOString() },
          { token: setup.organizer.token },
        ),
      );
    };
    const pendingNotices = async (version: number) =>
      (
        await stack.db.query(
          `SELECT 1 FROM deliveries WHERE item_id = $1 AND kind = 'item_rescheduled' AND item_version = $2
              AND user_id IS NOT NULL AND status = 'pending'`,
          [item.id, version],
        )
      ).rowCount;

    await stack.pauseSending(true);
    try {
      const second = await moveTo(1);
      await until(
        async () => ((await pendingNotices(second.version)) ? true : undefined),
        15_000,
        'the notice',
      );
      await moveTo(2);
    } finally {
      await stack.pauseSending(false);
    }
    const isMoved = (m: { subject: string }) => m.subject.startsWith('Moved');
    await stack.sink.waitFor(() => stack.sink.to(person.email).some(isMoved), 20_000, 'the change notice');
    await stack.deliveriesSettled(item.id);

    const [notice, ...more] = stack.sink.to(person.email).filter(isMoved);
    expect(more).toEqual([]);
    // Venue-local start times, as the notice shows them.
    const hhmm = (hoursLater: number) =>
      DateTime.fromISO(item.startsAt, { setZone: true }).plus({ hours: hoursLater }).toFormat('HH:mm');
    expect(notice.text).toContain(`Was: `);
    expect(notice.text).toContain(hhmm(0));
    expect(notice.text).toContain(hhmm(2));
    expect(notice.text).not.toContain(hhmm(1));
    const { rows } = await stack.db.query(
      `SELECT item_version, status, last_error FROM deliveries
        WHERE item_id = $1 AND kind = 'item_rescheduled' AND user_id IS NOT NULL ORDER BY item_version, channel`,
      [item.id],
    );
    // The stale notice is its letter's row, skipped with why (the in-app notice it carried is not written); the
    // sent one is its letter's row and the in-app row written beside it.
    expect(rows).toEqual([
      { item_version: 2, status: 'skipped', last_error: 'item changed since' },
      { item_version: 3, status: 'sent', last_error: null },
      { item_version: 3, status: 'sent', last_error: null },
    ]);
  });

  it('sends no notice when an item ends up back where it was', async () => {
    const item = await itemStartingIn(2 * 3600);
    const person = await stack.world.signup();
    await register(item.id, person.token);
    const later = new Date(new Date(item.startsAt).getTime() + 3600_000);
    await stack.world.ok(
      stack.api.patch(
        `/api/items/${item.id}`,
        { startsAt: later.toISOString(), endsAt: new Date(later.getTime() + 1800_000).toISOString() },
        { token: setup.organizer.token },
      ),
    );
    await stack.world.ok(
      stack.api.patch(
        `/api/items/${item.id}`,
        { startsAt: item.startsAt, endsAt: item.endsAt },
        { token: setup.organizer.token },
      ),
    );
    await until(
      async () => ((await stack.workerQueueJob(`change-${item.id}`, 'completed')) ? true : undefined),
      15_000,
      'the change notice job',
    );
    expect(stack.sink.to(person.email).filter((m) => m.subject.startsWith('Moved'))).toEqual([]);
  });

  it('on cancellation sends each registrant one notice with the reason and no reminder', async () => {
    const [a, b] = [await stack.world.signup(), await stack.world.signup()];
    const item = await itemStartingIn(60 + 5);
    const dueAt = new Date(item.startsAt).getTime() - 60_000;
    await register(item.id, a.token);
    await register(item.id, b.token);
    await stack.world.ok(
      stack.api.post(
        `/api/items/${item.id}/cancel`,
        { reason: 'The delegation was delayed' },
        { token: setup.organizer.token },
      ),
    );
    await stack.sink.waitFor(
      () => [a, b].every((p) => stack.sink.to(p.email).some((m) => m.subject.startsWith('Cancelled'))),
      10_000,
      'cancellation notices',
    );
    for (const p of [a, b]) {
      const notices = stack.sink.to(p.email).filter((m) => m.subject.startsWith('Cancelled'));
      expect(notices).toHaveLength(1);
      expect(notices[0].text).toContain('The delegation was delayed');
    }
    // Proving an absence needs the due time to pass; then the backstop has had its chances too.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueAt - Date.now()) + 2500));
    for (const p of [a, b])
      expect(stack.sink.to(p.email).filter((m) => m.subject.startsWith('Reminder'))).toEqual([]);
  });

  it('loses nothing when Redis is emptied while reminders are pending: the backstop sends them', async () => {
    const person = await stack.world.signup();
    const item = await itemStartingIn(60 + 6);
    await register(item.id, person.token);
    await until(
      async () => ((await stack.workerQueueJob(`reminder-${item.id}-1-v1`)) ? true : undefined),
      10_000,
      'the reminder job',
    );
    expect(await stack.emptyRedis()).toBeGreaterThan(0);
    await stack.sink.waitFor(
      () => stack.sink.to(person.email).some((m) => m.subject.startsWith('Reminder')),
      30_000,
      'the reminder after the flush',
    );
    await stack.fanoutDone(item.id);
    expect(stack.sink.to(person.email).filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(1);
  });

  it('signs webhooks per Standard Webhooks and retries a 500 with the same webhook-id', async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    let answered = 0;
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = answered++ === 0 ? 500 : 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/pavilion`;
      const hook = await stack.world.ok(
        stack.api.post(
          `/api/organizations/${setup.organizer.organization.id}/webhooks`,
          { url },
          { token: setup.organizer.token },
        ),
      );
      expect(hook.secret).toMatch(/^whsec_/);
      const listed = await stack.world.ok(
        stack.api.get(`/api/organizations/${setup.organizer.organization.id}/webhooks`, {
          token: setup.organizer.token,
        }),
      );
      expect(listed.items[0].secret).toBeUndefined();

      const item = await itemStartingIn(2 * 3600);
      const person = await stack.world.signup();
      const registration = await register(item.id, person.token);
      await until(async () => (received.length >= 2 ? true : undefined), 15_000, 'the retried webhook');
      const [first, second] = received;
      expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
      const verified = new Webhook(hook.secret).verify(
        second.body,
        second.headers as Record<string, string>,
      ) as { type: string; data: { registrationId: string } };
      expect(verified).toMatchObject({
        type: 'registration_confirmed',
        data: { registrationId: registration.id },
      });
      expect(() =>
        new Webhook(hook.secret).verify(
          second.body.replace('registration_confirmed', 'item_cancelled'),
          second.headers as Record<string, string>,
        ),
      ).toThrow();

      const removed = await stack.api.delete(
        `/api/organizations/${setup.organizer.organization.id}/webhooks/${hook.id}`,
        { token: setup.organizer.token },
      );
      expect(removed.status).toBe(204);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('keeps failed deliveries for admins to list and retry', async () => {
    const hookUrl = 'http://127.0.0.1:9/refused';
    const hook = await stack.world.ok(
      stack.api.post(
        `/api/organizations/${setup.organizer.organization.id}/webhooks`,
        { url: hookUrl },
        { token: setup.organizer.token },
      ),
    );
    const item = await itemStartingIn(2 * 3600);
    await register(item.id, (await stack.world.signup()).token);
    const failed = await stack.failedDelivery((d) => d.webhookId === hook.id, 'a failed delivery');
    const admin = await stack.world.adminToken();
    expect(failed).toMatchObject({
      channel: 'webhook',
      kind: 'registration_confirmed',
      status: 'failed',
      lastError: expect.any(String),
    });
    expect(
      (await stack.api.post(`/api/admin/deliveries/${failed.id}/retry`, {}, { token: admin })).status,
    ).toBe(202);
    // Back in line, it is no longer failed: a second retry is refused.
    expectProblem(
      await stack.api.post(`/api/admin/deliveries/${failed.id}/retry`, {}, { token: admin }),
      409,
    );
  });

  it('serves Prometheus metrics on the API and the worker to holders of the metrics token', async () => {
    const scraper = { authorization: `Bearer ${process.env.METRICS_TOKEN}` };
    expectProblem(await stack.api.get('/metrics'), 401);
    expectProblem(await stack.api.get('/metrics', { token: await stack.world.adminToken() }), 401);
    const metrics = await stack.api.get('/metrics', { headers: scraper });
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('pavilion_queue_jobs{queue="deliveries"');
    const port = stack.workers[0].get(WorkerHttpServer).port();
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
    const worker = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: scraper })).text();
    expect(worker).toMatch(
      /pavilion_deliveries_total\{kind="registration_confirmed",channel="email",status="sent"\} [1-9]/,
    );
    expect(worker).toContain('pavilion_reminder_lateness_seconds_bucket');
  });

  it('shows the queue dashboard to admins only', async () => {
    expectProblem(await stack.api.get('/admin/queues'), 401);
    expectProblem(await stack.api.get('/admin/queues', { token: (await stack.world.signup()).token }), 403);
    const page = await stack.api.get('/admin/queues', { token: await stack.world.adminToken() });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
  });
});
