// The notifications lib's job contract: the two queues, every job name with its payload, fixed job ids, and the
// typed producers. The worker's processors check at start that each job name has exactly one handler.
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { AppConfig } from '@pavilion/config';
import { OutboxRow } from '@pavilion/database';
import { RegistrantKind } from './notice-kinds';

/** Orchestration: outbox events, reminder fan-outs, coalesced change notices, the backstop sweep. */
export const NOTIFICATIONS_QUEUE = 'notifications';
/** Send jobs, each a batch of delivery rows: high volume, I/O bound. */
export const DELIVERIES_QUEUE = 'deliveries';

/** An outbox row as its job carries it: the row's id as `outboxId`, its time left behind. */
export type OutboxJob = Omit<OutboxRow, 'id' | 'createdAt'> & { outboxId: string };
/** An outbox event of a registrant kind: handled in bulk with the relay pass's others (`outbox-events`). */
export type RegistrantEvent = OutboxJob & { kind: RegistrantKind };

/** Every job name with its payload, in one place; the worker checks that each has exactly one handler. */
export interface NotificationJobs {
  'outbox-event': OutboxJob;
  /** Up to OUTBOX_GROUP registrant events of one relay pass, in outbox order. */
  'outbox-events': { events: RegistrantEvent[] };
  'reminder-fanout': { itemId: string; offsetMinutes: number; itemVersion: number; dueAt: string };
  'change-notice': { itemId: string };
  sweep: Record<string, never>;
}
export type NotificationJobName = keyof NotificationJobs;
export const NOTIFICATION_JOB_NAMES: NotificationJobName[] = [
  'outbox-event',
  'outbox-events',
  'reminder-fanout',
  'change-notice',
  'sweep',
];

/** A notifications job as the relay and the sweep add it in bulk: its name, its payload and its fixed id. */
export type NotificationJob = {
  [N in NotificationJobName]: { name: N; data: NotificationJobs[N]; jobId: string };
}[NotificationJobName];

export const DELIVERY_BATCH = 400;
/** Registrant events per `outbox-events` job: a rush's confirmations share a few jobs and statements. */
export const OUTBOX_GROUP = 200;

export interface DeliveryJobs {
  /** One batch of deliveries (up to DELIVERY_BATCH), sent side by side. */
  deliver: { deliveryIds: string[] };
}

// Job ids carry no ':' (BullMQ uses it in its keys).
export const jobIds = {
  outbox: (outboxId: string) => `outbox-${outboxId}`,
  /** A group is named by its first event and its size: a relay retry that cuts it otherwise adds a new job. */
  outboxGroup: (events: { outboxId: string }[]) => `outbox-${events[0].outboxId}-x${events.length}`,
  reminder: (itemId: string, offsetMinutes: number, version: number) =>
    `reminder-${itemId}-${offsetMinutes}-v${version}`,
  change: (itemId: string) => `change-${itemId}`,
  /**
   * A batch is named by its first delivery and its size; a retry by an admin gets a fresh id, and so does each
   * backstop round, since a job that used up its attempts stays in the failed set and would swallow a re-add.
   */
  deliver: (deliveryIds: string[], retry = 0, sweepRound = 0) =>
    `deliver-${deliveryIds[0]}${deliveryIds.length > 1 ? `-x${deliveryIds.length}` : ''}${retry > 0 ? `-retry-${retry}` : ''}${sweepRound > 0 ? `-sweep-${sweepRound}` : ''}`,
};

export const KEEP_A_WHILE: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 24 * 3600 },
};

/** Typed producers for Pavilion's two queues. */
@Injectable()
export class JobQueues {
  constructor(
    @InjectQueue(NOTIFICATIONS_QUEUE) readonly notifications: Queue,
    @InjectQueue(DELIVERIES_QUEUE) readonly deliveries: Queue,
    private readonly config: AppConfig,
  ) {}

  /**
   * Adds a job under a fixed id; a job already waiting or running under it absorbs the request. With
   * `replaceFinished`, for an id that names "the next run" of something (an item's change notice), a finished job
   * under that id is replaced instead of blocking the id until it expires.
   */
  async add<N extends NotificationJobName>(
    name: N,
    data: NotificationJobs[N],
    jobId: string,
    delayMs = 0,
    replaceFinished = false,
  ): Promise<void> {
    if (replaceFinished) {
      const previous = await this.notifications.getJob(jobId);
      if (previous && ((await previous.isCompleted()) || (await previous.isFailed())))
        await previous.remove().catch(() => undefined);
    }
    await this.notifications.add(name, data, {
      jobId,
      delay: Math.max(0, delayMs),
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
      ...KEEP_A_WHILE,
    });
  }

  /** Adds jobs of any names in one round trip, in this order, each under its fixed id. */
  async addBulk(jobs: NotificationJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.notifications.addBulk(
      jobs.map((j) => ({
        name: j.name,
        data: j.data,
        opts: { jobId: j.jobId, attempts: 5, backoff: { type: 'exponential', delay: 1000 }, ...KEEP_A_WHILE },
      })),
    );
  }

  /**
   * Adds a delayed job under a fixed id, or brings one already waiting under it forward to this delay. Returns
   * when it will run, or null once it has started (or finished): what has started cannot be brought forward.
   */
  async addNoLaterThan<N extends NotificationJobName>(
    name: N,
    data: NotificationJobs[N],
    jobId: string,
    delayMs: number,
  ): Promise<Date | null> {
    const wanted = Date.now() + Math.max(0, delayMs);
    await this.add(name, data, jobId, delayMs);
    const job = await this.notifications.getJob(jobId);
    if (!job || job.processedOn) return null;
    const runsAt = job.timestamp + job.delay;
    if (runsAt <= wanted + 1000) return new Date(runsAt);
    // Planned later, for fewer seats: queue it anew (a worker that took it meanwhile keeps it).
    const removed = await job.remove().then(
      () => true,
      () => false,
    );
    if (!removed) return null;
    await this.add(name, data, jobId, delayMs);
    return new Date(wanted);
  }

  /**
   * Send jobs for deliveries, each released at its send time (`sendAt`, else its due time; now if past) and
   * retried with exponential backoff. Deliveries released together share batches of up to DELIVERY_BATCH.
   */
  async queueSends(
    deliveries: { id: string; dueAt?: Date; sendAt?: Date }[],
    retry = 0,
    sweepRound = 0,
  ): Promise<void> {
    const now = Date.now();
    const batches: { ids: string[]; at: number }[] = [];
    for (const d of deliveries) {
      const at = Math.max(now, (d.sendAt ?? d.dueAt)?.getTime() ?? now);
      const last = batches[batches.length - 1];
      if (last && last.at === at && last.ids.length < DELIVERY_BATCH) last.ids.push(d.id);
      else batches.push({ ids: [d.id], at });
    }
    for (let i = 0; i < batches.length; i += 100) {
      await this.deliveries.addBulk(
        batches.slice(i, i + 100).map(({ ids, at }) => ({
          name: 'deliver' as const,
          data: { deliveryIds: ids } satisfies DeliveryJobs['deliver'],
          opts: {
            jobId: jobIds.deliver(ids, retry, sweepRound),
            delay: at - now,
            attempts: this.config.deliveryAttempts,
            backoff: { type: 'exponential', delay: this.config.deliveryBackoffMs },
            ...KEEP_A_WHILE,
          },
        })),
      );
    }
  }

  /** Best effort: removes a delayed job that is no longer wanted (a stale fire would be a no-op anyway). */
  async remove(jobId: string): Promise<void> {
    await this.notifications.remove(jobId).catch(() => undefined);
  }
}
