import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnModuleInit } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import {
  SCHEDULING_JOB_NAMES,
  SCHEDULING_QUEUE,
  SchedulingJobName,
  SchedulingJobs,
  SchedulingRunner,
} from '@pavilion/programmes';

type Handlers = { [N in SchedulingJobName]: (data: SchedulingJobs[N], job: Job) => Promise<unknown> };

/**
 * Thin: a solve job runs one scheduling run (the solver works in a thread, so this worker keeps sending
 * reminders meanwhile); the sweep ends runs whose worker died.
 */
@Processor(SCHEDULING_QUEUE, { concurrency: 1 })
export class SchedulingProcessor extends WorkerHost implements OnModuleInit {
  private readonly handlers: Handlers = {
    solve: (data, job) =>
      this.runs.execute(data.runId, (fraction) => job.updateProgress(Math.round(fraction * 100))),
    sweep: () => this.runs.sweep(),
  };

  constructor(private readonly runs: SchedulingRunner) {
    super();
  }

  async onModuleInit(): Promise<void> {
    const names = Object.keys(this.handlers).sort();
    if (names.join() !== [...SCHEDULING_JOB_NAMES].sort().join()) {
      throw new Error(
        `Job handlers (${names.join(', ')}) do not match the job names (${SCHEDULING_JOB_NAMES.join(', ')})`,
      );
    }
    await this.runs.scheduleSweep();
  }

  process(job: Job): Promise<unknown> {
    const handler = this.handlers[job.name as SchedulingJobName] as
      ((data: unknown, job: Job) => Promise<unknown>) | undefined;
    if (!handler) throw new UnrecoverableError(`No handler for job ${job.name}`);
    return handler(job.data, job);
  }
}
