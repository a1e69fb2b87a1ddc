import { Queue } from 'bullmq';
import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { exposition, offerToSupervisor } from './cluster-metrics';

/** Prometheus metrics of one process; each app serves text() at /metrics. */
@Injectable()
export class PavilionMetrics {
  readonly registry = new Registry();

  readonly deliveries = new Counter({
    name: 'pavilion_deliveries_total',
    help: 'Deliveries finished, by kind, channel and outcome',
    labelNames: ['kind', 'channel', 'status'] as const,
    registers: [this.registry],
  });

  readonly reminderLateness = new Histogram({
    name: 'pavilion_reminder_lateness_seconds',
    help: 'How long after its due time a reminder was handed to its channel',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  readonly relayLag = new Gauge({
    name: 'pavilion_outbox_relay_lag_seconds',
    help: 'Age of the oldest outbox row not yet relayed',
    registers: [this.registry],
    // Every worker process measures the same outbox: across processes the largest is the truth.
    aggregator: 'max',
  });

  readonly queueDepth = new Gauge({
    name: 'pavilion_queue_jobs',
    help: 'Jobs in each queue by state',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
    // Read from Redis by the process answering the scrape (see text()), never summed over processes.
    aggregator: 'omit',
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    offerToSupervisor(this.registry);
  }

  /** The Prometheus exposition for a scrape: of all processes when several share the port (cluster-metrics.ts). */
  text(): Promise<string> {
    return exposition(this.registry, ['pavilion_queue_jobs']);
  }
}

/** Reads the queues' job counts into the queue-depth gauge (on scrape). */
export async function refreshQueueDepths(
  metrics: PavilionMetrics,
  queues: { notifications: Queue; deliveries: Queue },
): Promise<void> {
  for (const queue of [queues.notifications, queues.deliveries]) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
    for (const [state, count] of Object.entries(counts))
      metrics.queueDepth.set({ queue: queue.name, state }, count);
  }
}

/**
 * Who may scrape /metrics: only a caller that sends `Authorization: Bearer <METRICS_TOKEN>`. Without a
 * configured token /metrics is not served at all ('disabled').
 */
export function metricsAccess(
  authorization: string | undefined,
  token: string | undefined,
): 'ok' | 'disabled' | 'refused' {
  if (!token) return 'disabled';
  const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'refused';
}
