import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';

/** The scheduling queue: one job kind per solve, one for the sweep of runs whose worker died. */
export const SCHEDULING_QUEUE = 'scheduling';

export interface SchedulingJobs {
  solve: { runId: string };
  sweep: Record<string, never>;
}
export type SchedulingJobName = keyof SchedulingJobs;
export const SCHEDULING_JOB_NAMES: SchedulingJobName[] = ['solve', 'sweep'];

export const schedulingJobIds = { solve: (runId: string) => `solve-${runId}` };

/** The scheduling queue's typed producer: the API queues runs, the worker's sweep queues them again. */
@Injectable()
export class SchedulingQueue {
  constructor(@InjectQueue(SCHEDULING_QUEUE) private readonly queue: Queue) {}

  /** Queues a run's solve under its fixed job id; a finished job of an earlier attempt makes way for it. */
  async solve(runId: string): Promise<void> {
    const jobId = schedulingJobIds.solve(runId);
    const existing = await this.queue.getJob(jobId);
    if (existing && ((await existing.isCompleted()) || (await existing.isFailed()))) await existing.remove();
    const data: SchedulingJobs['solve'] = { runId };
    await this.queue.add('solve', data, {
      jobId,
      attempts: 1,
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 24 * 3600 },
    });
  }

  /** The sweep every `everyMs` on some worker (a BullMQ job scheduler, one for all replicas). */
  async scheduleSweep(everyMs: number): Promise<void> {
    await this.queue.upsertJobScheduler(
      'scheduling-sweep',
      { every: everyMs },
      { name: 'sweep', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }
}
