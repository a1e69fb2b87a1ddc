import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';

/** B2B schedule runs: CPU-heavy solves, one job per run. */
export const B2B_SCHEDULING_QUEUE = 'b2b-scheduling';

/** Every job name of the queue with its payload, in one place; the worker checks each has exactly one handler. */
export interface B2bSchedulingJobs {
  'b2b-schedule-run': { runId: string };
}
export type B2bSchedulingJobName = keyof B2bSchedulingJobs;
export const B2B_SCHEDULING_JOB_NAMES: B2bSchedulingJobName[] = ['b2b-schedule-run'];

/** The typed producer of the B2B scheduling queue. */
@Injectable()
export class B2bSchedulingQueue {
  constructor(@InjectQueue(B2B_SCHEDULING_QUEUE) readonly queue: Queue) {}

  async add<N extends B2bSchedulingJobName>(
    name: N,
    data: B2bSchedulingJobs[N],
    jobId: string,
  ): Promise<void> {
    // One attempt plus BullMQ's stalled-job retries: a worker that dies mid-solve hands the run to another.
    await this.queue.add(name, data, {
      jobId,
      attempts: 1,
      removeOnComplete: { age: 3600, count: 1000 },
      removeOnFail: { age: 24 * 3600 },
    });
  }
}
