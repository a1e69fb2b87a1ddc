import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import {
  DELIVERIES_QUEUE,
  DeliveryJobs,
  DeliveryService,
  PermanentDeliveryError,
} from '@pavilion/notifications';
import { JOB_LOCK } from './job-lock';

/** Sends: I/O bound, so many at once. Errors that retrying cannot fix end the job at once. */
@Processor(DELIVERIES_QUEUE, { concurrency: 50, ...JOB_LOCK })
export class DeliveriesProcessor extends WorkerHost {
  constructor(private readonly delivery: DeliveryService) {
    super();
  }

  async process(job: Job<DeliveryJobs['deliver']>): Promise<string> {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    try {
      return await this.delivery.deliver(job.data.deliveryId, finalAttempt);
    } catch (error) {
      if (error instanceof PermanentDeliveryError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
}
