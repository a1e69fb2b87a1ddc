import { INestApplicationContext } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { DateTime } from 'luxon';
import { Client } from 'pg';
import { loadConfig } from '@pavilion/config';
import { runMigrations } from '@pavilion/database';
import { DELIVERIES_QUEUE, NOTIFICATIONS_QUEUE } from '@pavilion/notifications';
import { createWorker } from '../../apps/worker/src/bootstrap';
import { migrations } from '../../migrations';
import { TestApi } from './api';
import { deleteRedisKeys } from './redis-keys';
import { scratchDatabase } from './scratch-database';
import { SmtpSink, until } from './smtp-sink';
import { TcpProxy } from './tcp-proxy';
import { VenueTree, World } from './world';

/**
 * API + worker + a real SMTP server on a database and Redis prefix of their own, so no other test's worker
 * relays this test's outbox. Windows are short: change notices after 2 s, the backstop every second.
 */
export class NotificationStack {
  workers: INestApplicationContext[] = [];
  private queue?: Queue;
  private deliveries?: Queue;

  private constructor(
    readonly env: Record<string, string>,
    readonly api: TestApi,
    readonly sink: SmtpSink,
    readonly db: Client,
    readonly world: World,
    private readonly dropDatabase: () => Promise<void>,
  ) {}

  static async start(
    label: string,
    extra: Record<string, string> = {},
    options: {
      inProcessWorker?: boolean;
      /** Proxies the apps reach PostgreSQL, Redis or SMTP through (the test's own clients go direct). */
      through?: { postgres?: TcpProxy; redis?: TcpProxy; smtp?: TcpProxy };
    } = {},
  ): Promise<NotificationStack> {
    const scratch = await scratchDatabase(label);
    await runMigrations(scratch.url, migrations, 'up');
    const sink = await SmtpSink.start();
    const { postgres, redis, smtp } = options.through ?? {};
    const env = {
      DATABASE_URL: postgres ? postgres.url(scratch.url) : scratch.url,
      ...(redis && { REDIS_URL: redis.url(process.env.REDIS_URL as string) }),
      QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-${label}`,
      SMTP_URL: smtp ? smtp.url(sink.url) : sink.url,
      CHANGE_NOTICE_WINDOW_SECONDS: '2',
      REMINDER_SWEEP_SECONDS: '1',
      RELAY_INTERVAL_MS: '200',
      DELIVERY_BACKOFF_MS: '300',
      WORKER_PORT: '0',
      PUBLIC_URL: 'http://pavilion.test',
      ...extra,
    };
    const api = await TestApi.start(env);
    const db = new Client({ connectionString: scratch.url });
    await db.connect();
    const stack = new NotificationStack(env, api, sink, db, new World(api), scratch.drop);
    if (options.inProcessWorker !== false) await stack.startWorker();
    return stack;
  }

  async startWorker(): Promise<INestApplicationContext> {
    const worker = await createWorker(loadConfig({ ...process.env, ...this.env }));
    this.workers.push(worker);
    return worker;
  }

  /** A job of the orchestration queue, if it exists (and is in `state`, when given). */
  async workerQueueJob(jobId: string, state?: string): Promise<Job | undefined> {
    const job = await this.notificationsQueue().getJob(jobId);
    if (!job || (state && (await job.getState()) !== state)) return undefined;
    return job;
  }

  /** The jobs of a queue that have completed (kept an hour): what the workers did, in BullMQ's own record. */
  completedJobs(queue: 'notifications' | 'deliveries'): Promise<Job[]> {
    return (queue === 'notifications' ? this.notificationsQueue() : this.deliveriesQueue()).getJobs([
      'completed',
    ]);
  }

  private notificationsQueue(): Queue {
    return (this.queue ??= new Queue(NOTIFICATIONS_QUEUE, {
      connection: { url: process.env.REDIS_URL },
      prefix: this.env.QUEUE_PREFIX,
    }));
  }

  private deliveriesQueue(): Queue {
    return (this.deliveries ??= new Queue(DELIVERIES_QUEUE, {
      connection: { url: process.env.REDIS_URL },
      prefix: this.env.QUEUE_PREFIX,
    }));
  }

  /** Stops (`true`) or restarts every worker's sending, as BullMQ's global pause of the deliveries queue does. */
  async pauseSending(paused: boolean): Promise<void> {
    const deliveries = this.deliveriesQueue();
    await (paused ? deliveries.pause() : deliveries.resume());
  }

  /** Waits until the reminder fan-outs of an item have completed (their marker is written last). */
  async fanoutDone(itemId: string, timeoutMs?: number): Promise<void> {
    await until(
      async () =>
        (await this.db.query('SELECT 1 FROM reminder_fanouts WHERE item_id = $1', [itemId])).rowCount
          ? true
          : undefined,
      timeoutMs,
      'the fan-out',
    );
  }

  /** Waits until no delivery of an item is pending or being sent. */
  async deliveriesSettled(itemId: string, timeoutMs?: number): Promise<void> {
    await until(
      async () =>
        (
          await this.db.query(
            `SELECT 1 FROM deliveries WHERE item_id = $1 AND status IN ('pending', 'sending')`,
            [itemId],
          )
        ).rowCount === 0
          ? true
          : undefined,
      timeoutMs,
      'deliveries to settle',
    );
  }

  /** The failed delivery that `which` picks, once the admins' list shows it (`what` names the wait). */
  async failedDelivery(which: (delivery: any) => boolean, what: string): Promise<any> {
    const admin = await this.world.adminToken();
    return until(
      async () =>
        (
          await this.world.ok(this.api.get('/api/admin/deliveries?status=failed', { token: admin }))
        ).items.find(which),
      30_000,
      what,
    );
  }

  /** Deletes every Redis key of this deployment, as FLUSHALL would, without touching other tests' keys. */
  emptyRedis(): Promise<number> {
    return deleteRedisKeys(this.env.QUEUE_PREFIX);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await this.queue?.close();
    await this.deliveries?.close();
    await this.api.close();
    await this.db.end();
    await this.sink.close();
    await this.emptyRedis();
    await this.dropDatabase();
  }
}

/** A zone where the next six hours stay on one calendar day, so items starting soon fit one day's opening hours. */
export function zoneAwayFromMidnight(): string {
  return (
    ['UTC', 'Asia/Almaty', 'America/New_York', 'Asia/Tokyo'].find((zone) => {
      const hour = DateTime.now().setZone(zone).hour;
      return hour >= 1 && hour <= 16;
    }) ?? 'UTC'
  );
}

/** A venue open around the clock, an organizer, and a published programme for today and tomorrow there. */
export async function soonProgramme(world: World, options: { reminderOffsetsMinutes?: number[] } = {}) {
  const timezone = zoneAwayFromMidnight();
  const tree: VenueTree = await world.venueTree({
    timezone,
    openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '24:00' })),
  });
  const organizer = await world.organizer();
  const today = DateTime.now().setZone(timezone);
  const programme = await world.ok(
    world.api.post(
      '/api/programmes',
      {
        organizationId: organizer.organization.id,
        pavilionId: tree.pavilion.id,
        title: 'Days of Chelyabinsk Region',
        startsOn: today.toISODate(),
        endsOn: today.plus({ days: 1 }).toISODate(),
        reminderOffsetsMinutes: options.reminderOffsetsMinutes ?? [1440, 60],
      },
      { token: organizer.token },
    ),
  );
  await world.ok(world.api.post(`/api/programmes/${programme.id}/publish`, {}, { token: organizer.token }));
  return { tree, organizer, programme, timezone };
}

/** An item of a soonProgramme starting in three hours, open for registration. */
export async function soonItem(
  world: World,
  options: { capacity?: number; space?: 'hall' | 'room'; type?: string } = {},
) {
  const setup = await soonProgramme(world);
  const start = new Date(Date.now() + 3 * 3600_000);
  const item = await world.item(setup.organizer.token, setup.programme, {
    type: options.type ?? 'conference',
    title: 'Future of alternative energy',
    spaceId: setup.tree[options.space ?? 'hall'].id,
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 3600_000).toISOString(),
    capacity: options.capacity ?? 100,
  });
  return { setup, item };
}
