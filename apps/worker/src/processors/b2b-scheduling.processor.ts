import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnModuleInit } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import {
  B2B_SCHEDULING_JOB_NAMES,
  B2B_SCHEDULING_QUEUE,
  B2bSchedulingJobName,
  B2bSchedulingJobs,
  ScheduleRunWorker,
} from '@pavilion/meetings';
import { JOB_LOCK } from './job-lock';

type Handlers = { [N in B2bSchedulingJobName]: (data: B2bSchedulingJobs[N]) => Promise<unknown> };

/** Thin: a B2B schedule run is solved by ScheduleRunWorker in a worker thread; one run at a time per worker. */
@Processor(B2B_SCHEDULING_QUEUE, { concurrency: 1, ...JOB_LOCK })
export class B2bSchedulingProcessor extends WorkerHost implements OnModuleInit {
  private readonly handlers: Handlers = {
    'b2b-schedule-run': (data) => this.runs.run(data.runId),
  };

  constructor(private readonly runs: ScheduleRunWorker) {
    super();
  }

  onModuleInit(): void {
    const names = Object.keys(this.handlers).sort();
    if (names.join() !== [...B2B_SCHEDULING_JOB_NAMES].sort().join())
      throw new Error(
        `Job handlers (${names.join(', ')}) do not match the job names (${B2B_SCHEDULING_JOB_NAMES.join(', ')})`,
      );
  }

  process(job: Job): Promise<unknown> {
    const handler = this.handlers[job.name as B2bSchedulingJobName] as
      ((data: unknown) => Promise<unknown>) | undefined;
    if (!handler) throw new UnrecoverableError(`No handler for job ${job.name}`);
    return handler(job.data);
  }
}
