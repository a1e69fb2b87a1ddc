import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Queue } from 'bullmq';
import { SCHEDULING_QUEUE } from '@pavilion/programmes';
import { until } from '../support/smtp-sink';
import { inside, overlap, Range, range, schedulingWorld, waitForRun } from '../support/scheduling-world';
import { NotificationStack } from '../support/stack';

const WORKER = path.join(__dirname, '../../dist/apps/worker/src/main.js');

/** Many unplaced items written straight into the table: a run over them keeps the solver busy for seconds. */
async function crowdOfUnplaced(stack: NotificationStack, programmeId: string, count: number) {
  await stack.db.query(
    `INSERT INTO programme_items (programme_id, type, title, capacity, capacity_from_space, status, duration_minutes, placement)
     SELECT $1, 'presentation', 'Presentation ' || g, 1, true, 'unplaced', 60 + 15 * (g % 4), '{}'
       FROM generate_series(1, $2::int) g`,
    [programmeId, count],
  );
}

describe('scheduling runs: the worker places programme items', () => {
  let stack: NotificationStack;
  beforeAll(
    async () => (stack = await NotificationStack.start('schedule', { SCHEDULING_LEASE_SECONDS: '2' })),
  );
  afterAll(async () => stack.close());

  it('places 30 unplaced items under every constraint kind; the proposal keeps every hard rule; apply makes them public, registrable and in the ICS feed', async () => {
    const { spaces, programme, day1, day2, token } = await schedulingWorld(stack, 40);
    const api = stack.api;
    const [hall, room, conference, stage] = spaces;
    const onlyDay2 = await stack.world.speaker(token, 'Ann Day-Two');
    const afternoon = await stack.world.speaker(token, 'Bek Afternoon');
    await stack.world.ok(
      api.patch(
        `/api/speakers/${onlyDay2.id}`,
        { availability: [{ from: `${day2}T00:00Z`, to: `${day2}T23:59Z` }] },
        { token },
      ),
    );
    await stack.world.ok(
      api.patch(
        `/api/speakers/${afternoon.id}`,
        { availability: [{ from: `${day1}T12:00Z`, to: `${day1}T18:00Z` }] },
        { token },
      ),
    );
    const opening = await stack.world.item(token, programme, {
      type: 'opening_ceremony',
      title: 'Opening of the regional days',
      spaceId: stage.id,
      startsAt: `${day1}T09:00`,
      endsAt: `${day1}T10:00`,
    });
    const created: any[] = [];
    for (let i = 0; i < 30; i++) {
      const kind = i % 6;
      const placement: Record<string, unknown> = {};
      let speakerIds: string[] | undefined;
      if (kind === 0) Object.assign(placement, { spaceKinds: ['conference_room', 'hall'], minSeats: 30 });
      if (kind === 1) placement.windows = [{ from: `${day1}T13:00`, to: `${day1}T21:00` }];
      if (kind === 2) placement.after = [opening.id];
      if (kind === 3) placement.notParallelWith = [created[i - 1].id];
      if (kind === 4) speakerIds = [i % 12 === 4 ? onlyDay2.id : afternoon.id];
      if (kind === 5) placement.spaceIds = [room.id];
      const item = await stack.world.item(token, programme, {
        type: ['round_table', 'conference', 'presentation'][i % 3],
        title: `Session ${i}`,
        durationMinutes: [30, 60, 90][i % 3],
        speakerIds,
        placement,
      });
      expect(item).toMatchObject({
        status: 'unplaced',
        spaceId: null,
        startsAt: null,
        durationMinutes: [30, 60, 90][i % 3],
      });
      created.push(item);
    }
    // Unplaced items are not public and not registrable.
    expect((await api.get(`/api/items/${created[0].id}`)).status).toBe(404);
    const attendee = await stack.world.signup();
    expect(
      (await api.post(`/api/items/${created[0].id}/registrations`, {}, { token: attendee.token })).status,
    ).toBe(409);

    // Two requests at once: one run is queued, the other refused (one run per programme at a time). The
    // scheduling queue is paused meanwhile, so the first run is still queued when the second is tried, however
    // fast a worker would otherwise finish it on a busy machine.
    const schedulingQueue = new Queue(SCHEDULING_QUEUE, {
      connection: { url: process.env.REDIS_URL },
      prefix: stack.env.QUEUE_PREFIX,
    });
    await schedulingQueue.pause();
    const both = await Promise.all(
      [1, 2].map(() =>
        api.post(`/api/programmes/${programme.id}/scheduling-runs`, { timeLimitSeconds: 20 }, { token }),
      ),
    ).finally(async () => {
      await schedulingQueue.resume();
      await schedulingQueue.close();
    });
    expect(both.map((r) => r.status).sort()).toEqual([202, 409]);
    const started = both.find((r) => r.status === 202) as (typeof both)[number];
    expect(started.body).toEqual({ id: expect.any(String), status: 'queued' });
    const run = await waitForRun(stack, token, started.body.id, ['done', 'failed']);
    expect(run).toMatchObject({ status: 'done', progress: 1, unplaced: [], score: { hard: 0 } });
    expect(run.placements).toHaveLength(30);

    // Every hard rule, checked here from the API's own data, not by the solver.
    const spaceById = new Map(spaces.map((s: any) => [s.id, s]));
    const byId = new Map(created.map((c) => [c.id, c]));
    const at = new Map<string, Range & { spaceId: string; speakers: string[] }>();
    at.set(opening.id, { ...range(opening.startsAt, opening.endsAt), spaceId: stage.id, speakers: [] });
    for (const p of run.placements) {
      const item = byId.get(p.itemId);
      at.set(p.itemId, {
        ...range(p.startsAt, p.endsAt),
        spaceId: p.spaceId,
        speakers: item.speakers.map((s: any) => s.id),
      });
    }
    const windowOf = (r: { from: string; to: string }) => range(r.from, r.to);
    for (const p of run.placements) {
      const item = byId.get(p.itemId);
      const mine = at.get(p.itemId) as Range & { spaceId: string; speakers: string[] };
      const space = spaceById.get(p.spaceId);
      const c = item.placement;
      expect(mine.end - mine.start).toBe(item.durationMinutes * 60_000);
      const day = p.startsAt.slice(0, 10);
      expect([day1, day2]).toContain(day);
      expect(inside(mine, range(`${day}T09:00Z`, `${day}T21:00Z`))).toBe(true);
      if (c.spaceKinds) expect(c.spaceKinds).toContain(space.kind);
      if (c.minSeats) expect(space.capacity).toBeGreaterThanOrEqual(c.minSeats);
      if (c.spaceIds) expect(c.spaceIds).toContain(p.spaceId);
      if (c.windows) expect(c.windows.some((w: any) => inside(mine, windowOf(w)))).toBe(true);
      for (const before of c.after ?? [])
        expect(mine.start).toBeGreaterThanOrEqual((at.get(before) as Range).end);
      for (const other of c.notParallelWith ?? []) expect(overlap(mine, at.get(other) as Range)).toBe(false);
      if (mine.speakers.includes(onlyDay2.id)) expect(day).toBe(day2);
      if (mine.speakers.includes(afternoon.id))
        expect(inside(mine, range(`${day1}T12:00Z`, `${day1}T18:00Z`))).toBe(true);
      for (const [otherId, there] of at) {
        if (otherId === p.itemId || !overlap(mine, there)) continue;
        expect(there.spaceId).not.toBe(mine.spaceId);
        expect(there.speakers.filter((s) => mine.speakers.includes(s))).toEqual([]);
      }
    }
    expect(hall.id).toBeDefined();
    expect(conference.id).toBeDefined();

    const applied = await api.post(`/api/scheduling-runs/${run.id}/apply`, {}, { token });
    expect(applied.status).toBe(200);
    expect(applied.body).toEqual({ applied: 30 });
    const publicItem = await stack.world.ok(api.get(`/api/items/${created[0].id}`));
    expect(publicItem).toMatchObject({
      status: 'scheduled',
      version: 1,
      spaceId: run.placements.find((p: any) => p.itemId === created[0].id).spaceId,
    });
    expect(publicItem.capacity).toBe(spaceById.get(publicItem.spaceId).capacity);
    const registered = await api.post(
      `/api/items/${created[0].id}/registrations`,
      {},
      { token: attendee.token },
    );
    expect(registered.status).toBe(201);
    const ics = await api.get(`/api/programmes/${programme.id}/calendar.ics`);
    for (const item of created) expect(ics.text).toContain(`${item.id}@pavilion`);
    const again2 = await api.post(`/api/scheduling-runs/${run.id}/apply`, {}, { token });
    expect(again2.status).toBe(409);
  });

  it('refuses to apply after a conflicting manual edit (409 with conflicts) and writes nothing', async () => {
    const { spaces, programme, token } = await schedulingWorld(stack, 40);
    const api = stack.api;
    const item = await stack.world.item(token, programme, {
      type: 'round_table',
      title: 'Energy round table',
      durationMinutes: 60,
      placement: { spaceIds: [spaces[1].id] },
    });
    const other = await stack.world.item(token, programme, {
      type: 'conference',
      title: 'Second',
      durationMinutes: 30,
    });
    const started = await stack.world.ok(
      api.post(`/api/programmes/${programme.id}/scheduling-runs`, {}, { token }),
    );
    const run = await waitForRun(stack, token, started.id, ['done', 'failed']);
    expect(run).toMatchObject({ status: 'done', error: null });
    const proposal = run.placements.find((p: any) => p.itemId === item.id);
    const intruder = await stack.world.item(token, programme, {
      type: 'negotiations',
      title: 'Negotiations booked by hand',
      spaceId: proposal.spaceId,
      startsAt: proposal.startsAt,
      endsAt: proposal.endsAt,
    });
    const refused = await api.post(`/api/scheduling-runs/${run.id}/apply`, {}, { token });
    expect(refused.status).toBe(409);
    expect(refused.body.conflicts).toEqual([expect.objectContaining({ itemId: intruder.id })]);
    for (const id of [item.id, other.id]) {
      const row = (await stack.db.query('SELECT status, space_id FROM programme_items WHERE id = $1', [id]))
        .rows[0];
      expect(row).toEqual({ status: 'unplaced', space_id: null });
    }
    // A partial apply of the placement that still fits goes through.
    const partial = await api.post(
      `/api/scheduling-runs/${run.id}/apply`,
      { itemIds: [other.id] },
      { token },
    );
    expect(partial.body).toEqual({ applied: 1 });
  });

  it('cancels a long run: the worker stops within a second', async () => {
    const { programme, token } = await schedulingWorld(stack, 40);
    await crowdOfUnplaced(stack, programme.id, 700);
    const started = await stack.world.ok(
      stack.api.post(`/api/programmes/${programme.id}/scheduling-runs`, { timeLimitSeconds: 60 }, { token }),
    );
    await waitForRun(stack, token, started.id, ['running']);
    const queue = new Queue(SCHEDULING_QUEUE, {
      connection: { url: process.env.REDIS_URL },
      prefix: stack.env.QUEUE_PREFIX,
    });
    try {
      const cancelled = await stack.api.post(`/api/scheduling-runs/${started.id}/cancel`, {}, { token });
      const cancelledAt = Date.now();
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      await until(
        async () =>
          (await (await queue.getJob(`solve-${started.id}`))?.getState()) === 'completed' ? true : undefined,
        1000,
        'the solve job to end',
      );
      expect(Date.now() - cancelledAt).toBeLessThan(1000);
      const run = (await stack.api.get(`/api/scheduling-runs/${started.id}`, { token })).body;
      expect(run).toMatchObject({ status: 'cancelled', placements: [] });
    } finally {
      await queue.close();
    }
  });
});

describe('scheduling runs: a worker killed mid-run', () => {
  let stack: NotificationStack;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    stack = await NotificationStack.start(
      'schedule-kill',
      { SCHEDULING_LEASE_SECONDS: '1' },
      { inProcessWorker: false },
    );
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await stack.close();
  });

  it('ends the run failed and leaves the programme untouched', async () => {
    const { programme, token } = await schedulingWorld(stack, 40);
    await crowdOfUnplaced(stack, programme.id, 700);
    child = spawn(process.execPath, [WORKER], {
      env: { ...process.env, ...stack.env, LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    const started = await stack.world.ok(
      stack.api.post(`/api/programmes/${programme.id}/scheduling-runs`, { timeLimitSeconds: 60 }, { token }),
    );
    await waitForRun(stack, token, started.id, ['running'], 60_000);
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    await stack.startWorker();
    const run = await waitForRun(stack, token, started.id, ['failed', 'done'], 30_000);
    expect(run.status).toBe('failed');
    const placed = await stack.db.query(
      `SELECT count(*)::int AS n FROM programme_items WHERE programme_id = $1 AND status <> 'unplaced'`,
      [programme.id],
    );
    expect(placed.rows[0].n).toBe(0);
  });
});
