import { Injectable } from '@nestjs/common';
import { AppConfig } from '@pavilion/config';
import { PROGRAMME_SOLVER, ProgrammeProblem, ProgrammeSolution, solveInThread } from '@pavilion/scheduling';
import { SchedulingQueue } from './scheduling.queue';
import { SchedulingRunsRepository } from './scheduling-runs.repository';
import { RunOptions, RunSnapshot } from './snapshot';

/** Cancellation is noticed within this long (the worker reads the run's status on each heartbeat). */
const HEARTBEAT_MS = 100;

/**
 * The worker's side of scheduling runs: a run is solved under a lease that its heartbeat renews, and a run whose
 * worker died is taken over by the sweep (ended as failed when its lease lapsed, queued again when its job went
 * missing).
 */
@Injectable()
export class SchedulingRunner {
  constructor(
    private readonly runs: SchedulingRunsRepository,
    private readonly queue: SchedulingQueue,
    private readonly config: AppConfig,
  ) {}

  /**
   * Solves a queued run in a worker thread, renewing its lease and watching for cancellation; stores the
   * proposal, or the failure. A run already taken, cancelled or ended is left alone.
   */
  async execute(runId: string, reportProgress: (fraction: number) => unknown): Promise<void> {
    const leaseMs = this.config.schedulingLeaseMs;
    const run = await this.runs.claim(runId, leaseMs);
    if (!run) return;
    const snapshot = run.snapshot as RunSnapshot;
    const options = run.options as RunOptions;
    const abort = new AbortController();
    let progress = 0;
    let beating = false;
    const heartbeat = setInterval(() => {
      if (beating) return;
      beating = true;
      this.runs
        .heartbeat(runId, progress, leaseMs)
        .then((status) => status === 'cancelled' && abort.abort())
        .catch(() => undefined)
        .finally(() => (beating = false));
    }, HEARTBEAT_MS);
    try {
      const outcome = await solveInThread<ProgrammeProblem, ProgrammeSolution>(
        PROGRAMME_SOLVER,
        snapshot.problem,
        {
          timeLimitMs: options.timeLimitSeconds * 1000,
          signal: abort.signal,
          onProgress: (fraction) => {
            progress = fraction;
            Promise.resolve(reportProgress(fraction)).catch(() => undefined);
          },
        },
      );
      if (outcome.status === 'done') await this.runs.finish(runId, 'done', outcome.result, null);
    } catch (error) {
      await this.runs.finish(runId, 'failed', null, error instanceof Error ? error.message : String(error));
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Ends runs whose worker died (lease lapsed) as failed; queues again runs whose job went missing. */
  async sweep(): Promise<{ failed: string[]; requeued: string[] }> {
    const failed = await this.runs.failLapsed();
    const requeued = await this.runs.staleQueued(Math.max(60_000, this.config.schedulingLeaseMs * 2));
    for (const runId of requeued) await this.queue.solve(runId);
    return { failed, requeued };
  }

  /** The sweep runs every half lease period on some worker. */
  scheduleSweep(): Promise<void> {
    return this.queue.scheduleSweep(Math.max(1000, Math.floor(this.config.schedulingLeaseMs / 2)));
  }
}
