import { Injectable, Logger } from '@nestjs/common';
import { OutboxRelayRepository } from '@pavilion/database';
import { JobQueues } from './job-contracts';
import { PavilionMetrics } from './metrics';
import { outboxJobs } from './outbox-groups';

const BATCH = 500;

/**
 * Moves committed outbox rows into the queue: registrant events in groups, each other event a job of its own
 * (outbox-groups.ts). Runs on a timer and whenever the API nudges after a commit; several workers may run it at
 * once (rows are taken with SKIP LOCKED), and a pass that is asked for while one runs is done right after it.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly repository: OutboxRelayRepository,
    private readonly queues: JobQueues,
    private readonly metrics: PavilionMetrics,
  ) {}

  /** Relays everything pending; concurrent calls coalesce into at most one more pass. */
  relay(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      try {
        this.metrics.relayLag.set(await this.repository.outboxLagSeconds());
        let relayed: number;
        do {
          const rows = await this.repository.relayOutbox(BATCH, (batch) =>
            this.queues.addBulk(outboxJobs(batch)),
          );
          relayed = rows.length;
        } while (relayed === BATCH);
      } catch (error) {
        this.logger.error({ err: error }, 'Outbox relay pass failed; the next pass retries');
      }
    } while (this.again);
  }
}
