import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@pavilion/config';
import { AudienceRepository } from './audience.repository';
import { DeliveryLedgerRepository } from './delivery-ledger.repository';
import { JobQueues, jobIds } from './job-contracts';
import { FANOUT_LEAD_MS, fanoutLeadMs, ReminderCap } from './reminder-timing';
import { SpeakerAudienceRepository } from './speaker-audience.repository';

const SWEEP_LOOKBACK_MS = 6 * 3600 * 1000;

/**
 * The `sweep` job, run by a job scheduler: due fan-outs that never ran (a lost delayed job, Redis emptied),
 * deliveries whose send job is gone, unrelayed change notices. Everything it adds has a fixed job id.
 */
@Injectable()
export class BackstopSweepHandler {
  private readonly logger = new Logger(BackstopSweepHandler.name);
  private readonly cap: ReminderCap;

  constructor(
    private readonly audience: AudienceRepository,
    private readonly ledger: DeliveryLedgerRepository,
    private readonly queues: JobQueues,
    private readonly config: AppConfig,
    private readonly speakers: SpeakerAudienceRepository,
  ) {
    this.cap = { perSecond: config.smtpMaxPerSecond, maxEarlyMs: config.reminderMaxEarlyMs };
  }

  async handle(): Promise<void> {
    // Under the cap a fan-out is due before its reminder is: look as far ahead as the longest lead can reach.
    const ahead = this.cap.perSecond ? FANOUT_LEAD_MS + this.cap.maxEarlyMs : 0;
    const now = Date.now();
    const due = (await this.audience.dueFanouts(SWEEP_LOOKBACK_MS, ahead)).filter(
      (f) => f.dueAt.getTime() - fanoutLeadMs(f.offsetMinutes, f.seats, this.cap) <= now,
    );
    await this.queues.addBulk(
      due.map((f) => ({
        name: 'reminder-fanout' as const,
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
