import {
  ApiProcesses,
  childPids,
  cpuTicks,
  freePort,
  freshRequest,
  PlainResponse,
  threadNices,
} from '../support/app-processes';
import { Attendee, attendeesInDatabase } from '../support/attendees';
import { until } from '../support/smtp-sink';
import { NotificationStack, soonProgramme } from '../support/stack';
import { exited, WorkerProcesses } from '../support/worker-process';

/** SMTP_MAX_PER_SECOND of the capped workers. */
const CAP = 10;
/** WORKER_NICE of the workers: low enough not to slow them on a busy machine, enough to see. */
const NICE = 1;

interface Seat {
  id: string;
  status: 'confirmed' | 'waitlisted';
  waitlistPosition?: number;
}

describe('replicas: two API processes and two worker processes on one PostgreSQL and one Redis', () => {
  let stack: NotificationStack;
  let api: ApiProcesses;
  let workerPort: number;
  const workers = new WorkerProcesses(() => ({
    ...stack.env,
    WORKER_PROCESSES: '2',
    WORKER_PORT: String(workerPort),
    SMTP_MAX_PER_SECOND: String(CAP),
    WORKER_NICE: String(NICE),
  }));
  let supervisor: ReturnType<WorkerProcesses['spawn']>;

  beforeAll(async () => {
    stack = await NotificationStack.start('replicas', {}, { inProcessWorker: false });
    api = await ApiProcesses.start(stack.env, 2);
    workerPort = await freePort();
    supervisor = workers.spawn();
  });
  afterAll(async () => {
    await api?.stop();
    await workers.stopAll();
    await stack?.close();
  });

  const attendees = (count: number) => attendeesInDatabase(stack.db, count);

  async function item(capacity: number, startsInMs: number, reminderOffsetsMinutes?: number[]) {
    const { tree, organizer, programme } = await soonProgramme(stack.world, { reminderOffsetsMinutes });
    const startsAt = new Date(Math.ceil((Date.now() + startsInMs) / 1000) * 1000);
    return stack.world.item(organizer.token, programme, {
      type: 'business_forum',
      title: 'Business energy — development energy',
      spaceId: tree.room.id,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3600_000).toISOString(),
      capacity,
    });
  }

  const register = (itemId: string, who: Attendee) =>
    freshRequest('POST', `${api.baseUrl}/api/items/${itemId}/registrations`, who.token);

  /** The item's rows and counters agree, seats are not overbooked, and the waitlist is 1..n in seq order. */
  async function expectConsistent(itemId: string, capacity: number) {
    const { rows } = await stack.db.query(
      `SELECT capacity, confirmed_count, waitlist_count,
              (SELECT count(*)::int FROM registrations WHERE item_id = i.id AND status = 'confirmed') AS confirmed,
              (SELECT count(*)::int FROM registrations WHERE item_id = i.id AND status = 'waitlisted') AS waitlisted
         FROM programme_items i WHERE id = $1`,
      [itemId],
    );
    const [counts] = rows;
    expect(counts.confirmed_count).toBe(counts.confirmed);
    expect(counts.waitlist_count).toBe(counts.waitlisted);
    expect(counts.confirmed).toBeLessThanOrEqual(capacity);
    // Nobody waits while a seat is free.
    if (counts.waitlisted > 0) expect(counts.confirmed).toBe(capacity);
    return { confirmed: counts.confirmed as number, waitlisted: counts.waitlisted as number };
  }

  /** Waitlisted registration ids in queue order (waitlist_seq, assigned under the item's row lock). */
  async function queue(itemId: string): Promise<string[]> {
    const { rows } = await stack.db.query(
      `SELECT id FROM registrations WHERE item_id = $1 AND status = 'waitlisted' ORDER BY waitlist_seq`,
      [itemId],
    );
    return rows.map((r) => r.id as string);
  }

  it('a rush split across both API processes never overbooks and keeps the waitlist first come, first served', async () => {
    const capacity = 8;
    const rushItem = await item(capacity, 3 * 3600_000);
    const crowd = await attendees(24);
    const [a, b] = api.pids();
    const before = [cpuTicks(a), cpuTicks(b)];

    const rush = await Promise.all(crowd.map((who) => register(rushItem.id, who)));
    expect(rush.map((r) => r.status)).toEqual(crowd.map(() => 201));
    // Each connection went to the next process in turn: both did registration work.
    expect(cpuTicks(a)).toBeGreaterThan(before[0]);
    expect(cpuTicks(b)).toBeGreaterThan(before[1]);
    const seats = rush.map((r) => r.body as Seat);
    expect(seats.filter((s) => s.status === 'confirmed')).toHaveLength(capacity);
    const waitlisted = seats.filter((s) => s.status === 'waitlisted');
    expect(waitlisted.map((s) => s.waitlistPosition).sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(
      Array.from({ length: 16 }, (_, i) => i + 1),
    );
    // The position each attendee was told is their place in the committed queue.
    const committed = await queue(rushItem.id);
    expect(waitlisted.map((s) => committed.indexOf(s.id) + 1)).toEqual(
      waitlisted.map((s) => s.waitlistPosition),
    );

    // Later arrivals, each after the previous one was answered, alternate between the processes: 17, 18, 19, 20.
    const late: number[] = [];
    for (const who of await attendees(4)) late.push((await register(rushItem.id, who)).body.waitlistPosition);
    expect(late).toEqual([17, 18, 19, 20]);

    // A freed seat goes to the head of the queue.
    const leaving = crowd[seats.findIndex((s) => s.status === 'confirmed')];
    const cancelled = await freshRequest(
      'DELETE',
      `${api.baseUrl}/api/items/${rushItem.id}/registrations/me`,
      leaving.token,
    );
    expect(cancelled.status).toBe(204);
    const head = waitlisted.find((s) => s.waitlistPosition === 1) as Seat;
    const promoted = await stack.db.query('SELECT status FROM registrations WHERE id = $1', [head.id]);
    expect(promoted.rows[0].status).toBe('confirmed');
    expect(await expectConsistent(rushItem.id, capacity)).toEqual({ confirmed: capacity, waitlisted: 19 });
  });

  it('a reminder fans out once across both worker processes', async () => {
    await until(
      async () => (childPids(supervisor.pid as number).length === 2 ? true : undefined),
      20_000,
      'two workers',
    );
    // Due a minute before the start: about 6 s from now.
    const soon = await item(20, 66_000, [1]);
    const people = await attendees(10);
    const answers = await Promise.all(people.map((who) => register(soon.id, who)));
    expect(answers.map((r) => r.status)).toEqual(people.map(() => 201));

    const reminders = () => stack.sink.messages.filter((m) => m.subject.startsWith('Reminder'));
    await stack.sink.waitFor(
      () => people.every((p) => reminders().some((m) => m.to === p.email)),
      40_000,
      'every reminder',
    );
    await stack.fanoutDone(soon.id);
    await stack.deliveriesSettled(soon.id);
    const perPerson = people.map((p) => reminders().filter((m) => m.to === p.email).length);
    expect(perPerson).toEqual(people.map(() => 1));
    const { rows } = await stack.db.query(
      `SELECT channel, count(*)::int AS n FROM deliveries WHERE item_id = $1 AND kind = 'reminder' GROUP BY 1 ORDER BY 1`,
      [soon.id],
    );
    expect(rows).toEqual([
      { channel: 'email', n: 10 },
      { channel: 'in_app', n: 10 },
    ]);
  });

  it('/metrics through the shared port counts the deliveries of both worker processes, whichever answers', async () => {
    await until(
      async () => (childPids(supervisor.pid as number).length === 2 ? true : undefined),
      20_000,
      'two workers',
    );
    // Twenty confirmations, sent by whichever worker process takes each job.
    const seats = await item(20, 3_600_000);
    const people = await attendees(20);
    const answers = await Promise.all(people.map((who) => register(seats.id, who)));
    expect(answers.map((r) => r.status)).toEqual(people.map(() => 201));
    await stack.sink.waitFor(
      () => people.every((p) => stack.sink.messages.some((m) => m.to === p.email)),
      30_000,
      'every confirmation',
    );
    await stack.deliveriesSettled(seats.id);
    const { rows } = await stack.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM deliveries WHERE channel = 'email' AND status = 'sent'`,
    );
    const sentEverywhere = rows[0].n;
    const scrape = async () => {
      const res = await freshRequest(
        'GET',
        `http://127.0.0.1:${workerPort}/metrics`,
        process.env.METRICS_TOKEN,
      );
      expect(res.status).toBe(200);
      const text = res.body as string;
      const sent = [...text.matchAll(/^pavilion_deliveries_total\{([^}]*)\} (\d+)$/gm)]
        .filter(([, labels]) => labels.includes('channel="email"') && labels.includes('status="sent"'))
        .reduce((sum, [, , n]) => sum + Number(n), 0);
      const waiting = text.match(/^pavilion_queue_jobs\{queue="[^"]*deliveries[^"]*",state="waiting"\}/gm);
      return { sent, waiting: waiting?.length ?? 0 };
    };
    // A process counts a send just after it records it: wait for the first scrape to catch up.
    await until(
      async () => ((await scrape()).sent === sentEverywhere ? true : undefined),
      5_000,
      'the count',
    );
    // Each scrape is a connection of its own, which the cluster hands round-robin: both processes answer some.
    for (let n = 0; n < 4; n++) {
      // Queue depths are read once, by the answering process, not summed over processes.
      expect(await scrape()).toEqual({ sent: sentEverywhere, waiting: 1 });
    }
  });

  it('every thread of the worker supervisor and of both its processes runs at WORKER_NICE', async () => {
    const processes = await until(
      async () => {
        const pids = childPids(supervisor.pid as number);
        return pids.length === 2 ? pids : undefined;
      },
      30_000,
      'both worker processes',
    );
    for (const pid of [supervisor.pid as number, ...processes])
      expect(new Set(threadNices(pid))).toEqual(new Set([NICE]));
  });

  it('SMTP_MAX_PER_SECOND holds across both worker processes', async () => {
    const confirmed = await item(20, 3 * 3600_000);
    const people = await attendees(3 * CAP);
    const answers = await Promise.all(people.map((who) => register(confirmed.id, who)));
    expect(answers.map((r) => r.status)).toEqual(people.map(() => 201));
    await stack.sink.waitFor(
      () => people.every((p) => stack.sink.to(p.email).length === 1),
      30_000,
      'every confirmation',
    );
    const times = people.map((p) => stack.sink.to(p.email)[0].receivedAt).sort((a, b) => a - b);
    // Three seconds' worth of tokens: the last message leaves at least two one-second windows after the first
    // one's (arrival times jitter by a few hundred ms; uncapped, the lot arrives within a fraction of a second).
    expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(1500);
    // Both processes stop on SIGTERM once their jobs are done, and so does their supervisor.
    supervisor.kill('SIGTERM');
    await exited(supervisor);
    expect(supervisor.exitCode).toBe(0);
  });

  it('a SIGKILL of one API process mid-rush loses no committed registration and leaves no counter wrong', async () => {
    const capacity = 12;
    const rushItem = await item(capacity, 3 * 3600_000);
    const crowd = await attendees(40);
    const [victim] = api.pids();
    const answered = new Map<string, Seat>();
    const lost: Attendee[] = [];
    let next = 0;
    let killedAfter = -1;
    const client = async () => {
      while (next < crowd.length) {
        const who = crowd[next++];
        const response: PlainResponse | undefined = await register(rushItem.id, who).catch(() => undefined);
        if (response?.status === 201) answered.set(who.id, response.body as Seat);
        else lost.push(who);
        if (answered.size === 8 && killedAfter < 0) {
          killedAfter = answered.size;
          process.kill(victim, 'SIGKILL');
        }
      }
    };
    await Promise.all([client(), client(), client(), client()]);
    expect(killedAfter).toBe(8);
    expect(answered.size).toBeGreaterThan(killedAfter);

    // Every 201 the clients saw is in the database as it was answered.
    const { rows } = await stack.db.query(
      'SELECT id, user_id, status FROM registrations WHERE item_id = $1',
      [rushItem.id],
    );
    const stored = new Map(rows.map((r) => [r.user_id as string, r]));
    for (const [userId, seat] of answered)
      expect(stored.get(userId)).toEqual(expect.objectContaining({ id: seat.id }));
    // No one left the queue, so each position told is the attendee's place in the committed queue.
    const queued = await queue(rushItem.id);
    const told = [...answered.values()].filter((s) => s.status === 'waitlisted');
    expect(told.map((s) => queued.indexOf(s.id) + 1)).toEqual(told.map((s) => s.waitlistPosition));

    // The supervisor replaced the killed process; those who saw an error retry: registered once or told they already are.
    await until(
      async () => (api.pids().length === 2 && !api.pids().includes(victim) ? true : undefined),
      20_000,
      'a replacement',
    );
    for (const who of lost) {
      const retry = await register(rushItem.id, who);
      expect([201, 409]).toContain(retry.status);
      expect(retry.status === 409).toBe(stored.has(who.id));
    }
    expect(await expectConsistent(rushItem.id, capacity)).toEqual({ confirmed: capacity, waitlisted: 28 });
  });
});
