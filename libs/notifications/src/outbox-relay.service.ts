import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@pavilion/config';
import { OutboxRelayRepository } from '@pavilion/database';
import { JobQueues } from './job-contracts';
import { PavilionMetrics } from './metrics';
import { outboxJobs } from './outbox-groups';

const BATCH = 500;
/** A pass that moves this many rows says a rush is on. */
export const RUSH_ROWS = 20;
/** In a rush, the lull in the nudges after which the relay passes (unless OUTBOX_RUSH_HOLD_MS comes first). */
export const LULL_MS = 250;

/**
 * Moves committed outbox rows into the queue: registrant events in groups, each other event a job of its own
 * (outbox-groups.ts). Runs on a timer and whenever the API nudges after a commit; several workers may run it at
 * once (rows are taken with SKIP LOCKED), and a pass that is asked for while one runs is done right after it.
 *
 * In a rush (a pass moved RUSH_ROWS or more within the last OUTBOX_RUSH_HOLD_MS), a nudge does not pass at once:
 * the relay waits for LULL_MS without nudges, or OUTBOX_RUSH_HOLD_MS from the first nudge it held, whichever
 * comes first. On a host the worker shares with the API, the confirmations of a registration rush then go out
 * just after it, in groups of up to 200, instead of taking the cores the rush's requests need; each attendee
 * already has their seat in the API's answer. Outside a rush every nudge passes at once.
 */
@Injectable()
export class OutboxRelay implements OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private running: Promise<void> | null = null;
  private again = false;
  private readonly holdMs: number;
  /** When a pass last moved RUSH_ROWS or more (performance.now()). */
  private rushSeenAt = -Infinity;
  /** While nudges are held: since when, and the timer of the pass to come. */
  private held?: { since: number; timer: NodeJS.Timeout };

  constructor(
    private readonly repository: OutboxRelayRepository,
    private readonly queues: JobQueues,
    private readonly metrics: PavilionMetrics,
    config: AppConfig,
  ) {
    this.holdMs = config.outboxRushHoldMs;
  }

  /**
   * Relays everything pending (in a rush, after the lull or the hold; see above); concurrent calls coalesce into
   * at most one more pass.
   */
  relay(): Promise<void> {
    const now = performance.now();
    if (this.holdMs > 0 && now - this.rushSeenAt < this.holdMs) {
      const since = this.held?.since ?? now;
      clearTimeout(this.held?.timer);
      const timer = setTimeout(
        () => {
          this.held = undefined;
          void this.pass();
        },
        Math.min(LULL_MS, since + this.holdMs - now),
      );
      this.held = { since, timer };
      return Promise.resolve();
    }
    return this.pass();
  }

  onModuleDestroy(): void {
    clearTimeout(this.held?.timer);
  }

  private pass(): Promise<void> {
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
        let moved = 0;
        do {
          const rows = await this.repository.relayOutbox(BATCH, (batch) =>
            this.queues.addBulk(outboxJobs(batch)),
          );
          relayed = rows.length;
          moved += relayed;
        } while (relayed === BATCH);
        if (moved >= RUSH_ROWS) this.rushSeenAt = performance.now();
      } catch (error) {
        this.logger.error({ err: error }, 'Outbox relay pass failed; the next pass retries');
      }
    } while (this.again);
  }
}
