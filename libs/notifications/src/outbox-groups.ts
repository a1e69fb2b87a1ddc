import { OutboxRow } from '@pavilion/database';
import { jobIds, NotificationJob, OUTBOX_GROUP, OutboxJob, RegistrantEvent } from './job-contracts';
import { isRegistrantKind } from './notice-kinds';

/** An outbox row as its job carries it. */
export function outboxJob(row: OutboxRow): OutboxJob {
  return {
    outboxId: row.id,
    kind: row.kind,
    itemId: row.itemId,
    registrationId: row.registrationId,
    userId: row.userId,
    itemVersion: row.itemVersion,
    payload: row.payload,
  };
}

/**
 * The jobs of one relay pass, in outbox order: each run of registrant events (up to `groupSize`) is one
 * `outbox-events` job, every other event its own `outbox-event` job. So a registration rush costs a job per group,
 * and no event is handled before one that precedes it in the outbox is queued.
 */
export function outboxJobs(rows: OutboxRow[], groupSize = OUTBOX_GROUP): NotificationJob[] {
  const jobs: NotificationJob[] = [];
  let group: RegistrantEvent[] = [];
  const closeGroup = () => {
    if (group.length === 0) return;
    jobs.push({ name: 'outbox-events', data: { events: group }, jobId: jobIds.outboxGroup(group) });
    group = [];
  };
  for (const row of rows) {
    const event = outboxJob(row);
    if (isRegistrantEvent(event)) {
      group.push(event);
      if (group.length === groupSize) closeGroup();
    } else {
      closeGroup();
      jobs.push({ name: 'outbox-event', data: event, jobId: jobIds.outbox(row.id) });
    }
  }
  closeGroup();
  return jobs;
}

function isRegistrantEvent(event: OutboxJob): event is RegistrantEvent {
  return isRegistrantKind(event.kind);
}
