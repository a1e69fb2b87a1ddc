import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Job } from 'bullmq';
import { BatchOutcome } from '@pavilion/notifications';
import { Attendee, attendeesInDatabase } from '../support/attendees';
import { until } from '../support/smtp-sink';
import { NotificationStack, soonProgramme } from '../support/stack';
import { WorkerProcesses } from '../support/worker-process';

const CROWD = 120;
const SEATS = 80;
/** Each status's subject, by language. */
const SUBJECTS = {
  confirmed: { en: 'Confirmed:', ru: 'Подтверждено:', kk: 'Расталды:' },
  waitlisted: { en: 'Waitlisted', ru: 'Лист ожидания', kk: 'Күту тізімі' },
} as const;
const LOCALES = ['en', 'ru', 'kk'] as const;

/**
 * A registration rush as the worker meets it: every registration is committed before a worker runs, so one relay
 * pass finds them all. Their events are handled in a group, with the rows and reminders one by one would give.
 * The worker is a process of its own, as in production: under Jest a check-in QR code takes ~40 times as long to
 * draw, and a batch of a hundred letters would hold the event loop past the send job's lock.
 */
describe('a registration rush: the worker tells everyone once, from a few jobs', () => {
  let stack: NotificationStack;
  // One process: its relay's first pass takes every row (two relays could share them with SKIP LOCKED).
  const workers = new WorkerProcesses(() => ({ ...stack.env, WORKER_PROCESSES: '1' }));
  let hooks: Server;
  const hooked: { webhookId: string; registrationId: string; outboxId: string }[] = [];

  beforeAll(async () => {
    stack = await NotificationStack.start('rush', {}, { inProcessWorker: false });
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const { data } = JSON.parse(body) as { data: { registrationId: string; outboxId: string } };
        hooked.push({ webhookId: req.headers['webhook-id'] as string, ...data });
        res.end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await workers.stopAll();
    await new Promise((resolve) => hooks.close(resolve));
    await stack.close();
  });

  it(`confirms or waitlists ${CROWD} people in their language, schedules the reminders, from one job and one send batch`, async () => {
    const setup = await soonProgramme(stack.world);
    await stack.world.ok(
      stack.api.post(
        `/api/organizations/${setup.organizer.organization.id}/webhooks`,
        { url: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/pavilion` },
        { token: setup.organizer.token },
      ),
    );
    const start = new Date(Date.now() + 3 * 3600_000);
    const item = await stack.world.item(setup.organizer.token, setup.programme, {
      type: 'conference',
      title: 'Future of alternative energy',
      spaceId: setup.tree.hall.id,
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3600_000).toISOString(),
      capacity: SEATS,
    });
    const people = await attendeesInDatabase(stack.db, CROWD);
    const localeOf = (i: number) => LOCALES[i % LOCALES.length];
    for (const locale of LOCALES)
      await stack.db.query('UPDATE users SET locale = $1 WHERE id = ANY($2::uuid[])', [
        locale,
        people.filter((_, i) => localeOf(i) === locale).map((p) => p.id),
      ]);
    // The first to come is reminded 30 minutes ahead, the last (waitlisted) would be 45: only seats are reminded.
    const [first, last] = [people[0], people[CROWD - 1]];
    const offsets = (person: Attendee, minutes: number) =>
      stack.db.query(`UPDATE users SET notification_preferences = $2::jsonb WHERE id = $1`, [
        person.id,
        JSON.stringify({ reminderOffsetsMinutes: [minutes] }),
      ]);
    await offsets(first, 30);
    await offsets(last, 45);

    const register = (person: Attendee) =>
      stack.world.ok(stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: person.token }));
    const seats = [await register(first)];
    seats.push(...(await Promise.all(people.slice(1, -1).map(register))));
    seats.push(await register(last));
    expect(seats.filter((s) => s.status === 'confirmed')).toHaveLength(SEATS);
    expect([seats[0].status, seats[CROWD - 1].status]).toEqual(['confirmed', 'waitlisted']);

    workers.spawn();
    await stack.sink.waitFor(
      () => people.every((p) => stack.sink.to(p.email).length > 0),
      30_000,
      'a letter to each',
    );
    await stack.deliveriesSettled(item.id);
    people.forEach((person, i) => {
      const letters = stack.sink.to(person.email);
      expect(letters).toHaveLength(1);
      expect(letters[0].subject.startsWith(SUBJECTS[seats[i].status as 'confirmed'][localeOf(i)])).toBe(true);
    });
    // The organization's webhook hears of each registration once, under the id of its own event.
    await until(async () => (hooked.length >= CROWD ? true : undefined), 10_000, 'the webhooks');
    expect(new Set(hooked.map((h) => h.webhookId)).size).toBe(CROWD);
    expect(new Set(hooked.map((h) => h.registrationId))).toEqual(new Set(seats.map((s) => s.id)));
    expect(new Set(hooked.map((h) => h.outboxId)).size).toBe(CROWD);

    // One relay pass found all the events: one `outbox-events` job, no job of an event of its own.
    const outboxJobs = await until(
      async () => {
        const jobs = (await stack.completedJobs('notifications')).filter((j) => j.name.startsWith('outbox'));
        return jobs.flatMap((j) => j.data.events ?? [j.data]).length === CROWD ? jobs : undefined;
      },
      10_000,
      'the outbox jobs',
    );
    expect(outboxJobs.map((j) => [j.name, j.data.events?.length ?? 1])).toEqual([['outbox-events', CROWD]]);
    // Their confirmations' reminders are scheduled: the programme's hour, the first person's own 30 minutes.
    for (const minutes of [60, 30])
      expect(await stack.workerQueueJob(`reminder-${item.id}-${minutes}-v1`, 'delayed')).toBeDefined();
    expect(await stack.workerQueueJob(`reminder-${item.id}-45-v1`)).toBeUndefined();

    // Their letters, in-app notices and webhooks (3 rows a person) were claimed and sent by one send job of up
    // to 400 rows (the backstop may add a job for rows it finds pending a while: that one claims nothing).
    const { rows } = await stack.db.query<{ id: string }>('SELECT id FROM deliveries WHERE item_id = $1', [
      item.id,
    ]);
    expect(rows).toHaveLength(3 * CROWD);
    const ids = new Set(rows.map((r) => r.id));
    const claims = await until(
      async () => {
        const claimed = (await stack.completedJobs('deliveries'))
          .filter((j: Job) => j.data.deliveryIds.some((id: string) => ids.has(id)))
          .map((j: Job) => (j.returnvalue as BatchOutcome).claimed)
          .filter((n) => n > 0);
        return claimed.reduce((sum, n) => sum + n, 0) === ids.size ? claimed : undefined;
      },
      10_000,
      'the send jobs',
    );
    expect(claims).toEqual([3 * CROWD]);
  });
});
