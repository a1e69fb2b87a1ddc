import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@pavilion/config';
import { AudienceRepository } from './audience.repository';
import { DeliveryLedgerRepository } from './delivery-ledger.repository';
import { JobQueues, jobIds } from './job-contracts';
import { SpeakerAudienceRepository } from './speaker-audience.repository';

const SWEEP_LOOKBACK_MS = 6 * 3600 * 1000;

/**
 * The `sweep` job, run by a job scheduler: due fan-outs that never ran (a lost delayed job, Redis emptied),
 * deliveries whose send job is gone, unrelayed change notices. Everything it adds has a fixed job id.
 */
@Injectable()
export class BackstopSweepHandler {
  private readonly logger = new Logger(BackstopSweepHandler.name);

  constructor(
    private readonly audience: AudienceRepository,
    private readonly ledger: DeliveryLedgerRepository,
    private readonly queues: JobQueues,
    private readonly config: AppConfig,
    private readonly speakers: SpeakerAudienceRepository,
  ) {}

  async handle(): Promise<void> {
    const due = await this.audience.dueFanouts(SWEEP_LOOKBACK_MS);
    await this.queues.addBulk(
      'reminder-fanout',
      due.map((f) => ({
        jobId: jobIds.reminder(f.itemId, f.offsetMinutes, f.itemVersion),
        data: {
          itemId: f.itemId,
          offsetMinutes: f.offsetMinutes,
          itemVersion: f.itemVersion,
          dueAt: f.dueAt.toISOString(),
        },
      })),
    );
    const stale = await this.ledger.pendingDeliveries({
      olderThan: new Date(Date.now() - this.config.reminderSweepMs),
    });
    await this.queues.queueSends(stale, 0, Math.floor(Date.now() / this.config.reminderSweepMs));
    const quiet = new Date(Date.now() - this.config.changeNoticeWindowMs - this.config.reminderSweepMs);
    const untold = new Set([
      ...(await this.audience.itemsWithUntoldChanges(quiet)),
      ...(await this.speakers.itemsWithUntoldChanges(quiet)),
    ]);
    for (const itemId of untold) {
      await this.queues.add('change-notice', { itemId }, jobIds.change(itemId), 0, true);
    }
    if (due.length + stale.length > 0)
      this.logger.log(`Backstop re-enqueued ${due.length} fan-outs and ${stale.length} deliveries`);
  }
}
