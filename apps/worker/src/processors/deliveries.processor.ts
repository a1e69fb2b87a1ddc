import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { BatchOutcome, DELIVERIES_QUEUE, DeliveryJobs, DeliveryService } from '@pavilion/notifications';
import { JOB_LOCK } from './job-lock';

/**
 * Sends batches of deliveries. A batch with messages a retry may fix fails the job, and BullMQ retries it with
 * backoff; the retry reclaims only the rows still pending. On the last attempt those are marked failed.
 */
@Processor(DELIVERIES_QUEUE, { concurrency: 2, ...JOB_LOCK })
export class DeliveriesProcessor extends WorkerHost {
  constructor(private readonly delivery: DeliveryService) {
    super();
  }

  process(job: Job<DeliveryJobs['deliver']>): Promise<BatchOutcome> {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.delivery.sendBatch(job.data.deliveryIds, finalAttempt);
  }
}
