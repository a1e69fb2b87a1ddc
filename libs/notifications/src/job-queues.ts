import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@pavilion/config';
import {
  DELIVERIES_QUEUE,
  DELIVERY_BATCH,
  DeliveryJobs,
  jobIds,
  KEEP_A_WHILE,
  NOTIFICATIONS_QUEUE,
  NotificationJobName,
  NotificationJobs,
} from './queues';

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

  async addBulk<N extends NotificationJobName>(
    name: N,
    jobs: { data: NotificationJobs[N]; jobId: string }[],
  ): Promise<void> {
    if (jobs.length === 0) return;
    await this.notifications.addBulk(
      jobs.map((j) => ({
        name,
        data: j.data,
        opts: { jobId: j.jobId, attempts: 5, backoff: { type: 'exponential', delay: 1000 }, ...KEEP_A_WHILE },
      })),
    );
  }

  /**
   * Send jobs for deliveries, in batches of DELIVERY_BATCH, each released at its earliest due time (now if past)
   * and retried with exponential backoff.
   */
  async deliver(deliveries: { id: string; due_at?: Date }[], retry = 0, sweepRound = 0): Promise<void> {
    const now = Date.now();
    const batches: (typeof deliveries)[] = [];
    for (let i = 0; i < deliveries.length; i += DELIVERY_BATCH)
      batches.push(deliveries.slice(i, i + DELIVERY_BATCH));
    for (let i = 0; i < batches.length; i += 100) {
      await this.deliveries.addBulk(
        batches.slice(i, i + 100).map((batch) => {
          const ids = batch.map((d) => d.id);
          const due = Math.min(...batch.map((d) => d.due_at?.getTime() ?? now));
          return {
            name: 'deliver' as const,
            data: { deliveryIds: ids } satisfies DeliveryJobs['deliver'],
            opts: {
              jobId: jobIds.deliver(ids, retry, sweepRound),
              delay: Math.max(0, due - now),
              attempts: this.config.deliveryAttempts,
              backoff: { type: 'exponential', delay: this.config.deliveryBackoffMs },
              ...KEEP_A_WHILE,
            },
          };
        }),
      );
    }
  }

  /** Best effort: removes a delayed job that is no longer wanted (a stale fire would be a no-op anyway). */
  async remove(jobId: string): Promise<void> {
    await this.notifications.remove(jobId).catch(() => undefined);
  }
}
