import { JobsOptions } from 'bullmq';
import { OutboxKind } from '@pavilion/database';

/** Orchestration: outbox events, reminder fan-outs, coalesced change notices, the backstop sweep. */
export const NOTIFICATIONS_QUEUE = 'notifications';
/** Send jobs, each a batch of delivery rows: high volume, I/O bound. */
export const DELIVERIES_QUEUE = 'deliveries';

export interface OutboxJob {
  outboxId: string;
  kind: OutboxKind;
  itemId: string;
  registrationId: string | null;
  userId: string | null;
  itemVersion: number | null;
  payload: Record<string, unknown>;
}

/** Every job name with its payload, in one place; the worker checks that each has exactly one handler. */
export interface NotificationJobs {
  'outbox-event': OutboxJob;
  'reminder-fanout': { itemId: string; offsetMinutes: number; itemVersion: number; dueAt: string };
  'change-notice': { itemId: string };
  sweep: Record<string, never>;
}
export type NotificationJobName = keyof NotificationJobs;
export const NOTIFICATION_JOB_NAMES: NotificationJobName[] = [
  'outbox-event',
  'reminder-fanout',
  'change-notice',
  'sweep',
];

export const DELIVERY_BATCH = 400;

export interface DeliveryJobs {
  /** One batch of deliveries (up to DELIVERY_BATCH), sent side by side. */
  deliver: { deliveryIds: string[] };
}

// Job ids carry no ':' (BullMQ uses it in its keys).
export const jobIds = {
  outbox: (outboxId: string) => `outbox-${outboxId}`,
  reminder: (itemId: string, offsetMinutes: number, version: number) =>
    `reminder-${itemId}-${offsetMinutes}-v${version}`,
  change: (itemId: string) => `change-${itemId}`,
  /**
   * A batch is named by its first delivery and its size; a retry by an admin gets a fresh id, and so does each
   * backstop round, since a job that used up its attempts stays in the failed set and would swallow a re-add.
   */
  deliver: (deliveryIds: string[], retry = 0, sweepRound = 0) =>
    `deliver-${deliveryIds[0]}${deliveryIds.length > 1 ? `-x${deliveryIds.length}` : ''}${retry > 0 ? `-retry-${retry}` : ''}${sweepRound > 0 ? `-sweep-${sweepRound}` : ''}`,
};

export const KEEP_A_WHILE: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 24 * 3600 },
};
