import { REQUESTS, seedB2bSession } from '../../bench/b2b-session';
import { expectProblem } from '../support/api';
import { until } from '../support/smtp-sink';
import { NotificationStack } from '../support/stack';
import { WorkerProcesses } from '../support/worker-process';

describe('B2B schedule runs: a worker killed mid-solve', () => {
  let stack: NotificationStack;
  const workers = new WorkerProcesses(() => stack.env);

  beforeAll(async () => {
    stack = await NotificationStack.start('b2b-kill', {}, { inProcessWorker: false });
  });
  afterAll(async () => {
    await workers.stopAll();
    await stack.close();
  });

  it('hands the run to another worker, which solves it whole; nothing is written but the run', async () => {
    // The benchmark's session (600 participants, 2,400 accepted requests), owned by an organizer of this test.
    const itemId = await seedB2bSession(
      async (sql, params) => (await stack.db.query(sql, params)).rows,
      2017,
    );
    const organizer = await stack.world.organizer();
    await stack.db.query(
      `UPDATE programmes SET organization_id = $1 WHERE id = (SELECT programme_id FROM programme_items WHERE id = $2)`,
      [organizer.organization.id, itemId],
    );
    const token = organizer.token;
    const run = async (id: string) =>
      stack.world.ok(stack.api.get(`/api/b2b/schedule-runs/${id}`, { token }));

    const doomed = workers.spawn();
    const started = await stack.world.ok(
      stack.api.post(`/api/items/${itemId}/b2b/schedule-runs`, { timeLimitSeconds: 60 }, { token }),
    );
    // Killed while its thread is solving: the run is running and has reported progress.
    await until(
      async () => {
        const r = await run(started.id);
        return r.status === 'running' && r.progress > 0 ? r : undefined;
      },
      60_000,
      'the solve to be under way',
    );
    await workers.kill(doomed);
    const killed = await run(started.id);
    expect(killed.status).toBe('running');
    expect(killed.meetings).toEqual([]);
    // One run per session at a time, even while its worker is dead.
    expectProblem(await stack.api.post(`/api/items/${itemId}/b2b/schedule-runs`, {}, { token }), 409);

    // Another worker takes the stalled job over and solves the run from the start.
    await stack.startWorker();
    const finished = await until(
      async () => {
        const r = await run(started.id);
        return ['done', 'failed'].includes(r.status) ? r : undefined;
      },
      90_000,
      'the run to end',
    );
    if (finished.status === 'failed') {
      // Only if the takeover came after the heartbeat went stale (a very loaded machine): failed, with no result.
      expect(finished).toMatchObject({
        error: 'the worker running it stopped',
        meetings: [],
        unscheduled: [],
      });
    } else {
      expect(finished.progress).toBe(1);
      expect(finished.meetings.length + finished.unscheduled.length).toBe(REQUESTS);
      expect(finished.stats).toMatchObject({ accepted: REQUESTS, scheduled: finished.meetings.length });
      expect(finished.stats.upperBound).toBeGreaterThanOrEqual(finished.stats.scheduled);
      expect(new Set(finished.meetings.map((m: any) => m.requestId)).size).toBe(finished.meetings.length);
    }
    console.warn(`B2B run after the kill: ${finished.status}, ${finished.meetings.length} meetings`);

    // A run writes nothing but itself: no meeting exists until it is published.
    const { rows } = await stack.db.query(
      `SELECT (SELECT count(*)::int FROM b2b_meetings WHERE item_id = $1) AS meetings,
              (SELECT count(*)::int FROM b2b_schedule_runs WHERE item_id = $1) AS runs,
              (SELECT count(*)::int FROM outbox WHERE item_id = $1) AS notices`,
      [itemId],
    );
    expect(rows[0]).toEqual({ meetings: 0, runs: 1, notices: 0 });
  }, 240_000);
});
