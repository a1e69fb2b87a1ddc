import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnModuleInit } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import {
  BackstopSweepHandler,
  ChangeNoticeHandler,
  NOTIFICATION_JOB_NAMES,
  NOTIFICATIONS_QUEUE,
  NotificationJobName,
  NotificationJobs,
  OutboxEventHandler,
  OutboxEventsHandler,
  ReminderFanoutHandler,
} from '@pavilion/notifications';
import { JOB_LOCK } from './job-lock';

type Handlers = { [N in NotificationJobName]: (data: NotificationJobs[N]) => Promise<unknown> };

/** Thin: each orchestration job name maps to the handler of its own. */
@Processor(NOTIFICATIONS_QUEUE, { concurrency: 4, ...JOB_LOCK })
export class NotificationsProcessor extends WorkerHost implements OnModuleInit {
  private readonly handlers: Handlers = {
    'outbox-event': (data) => this.outboxEvent.handle(data),
    'outbox-events': (data) => this.outboxEvents.handle(data),
    'reminder-fanout': (data) => this.reminderFanout.handle(data),
    'change-notice': (data) => this.changeNotice.handle(data),
    sweep: () => this.sweep.handle(),
  };

  constructor(
    private readonly outboxEvent: OutboxEventHandler,
    private readonly outboxEvents: OutboxEventsHandler,
    private readonly reminderFanout: ReminderFanoutHandler,
    private readonly changeNotice: ChangeNoticeHandler,
    private readonly sweep: BackstopSweepHandler,
  ) {
    super();
  }

  onModuleInit(): void {
    const names = Object.keys(this.handlers).sort();
    if (names.join() !== [...NOTIFICATION_JOB_NAMES].sort().join()) {
      throw new Error(
        `Job handlers (${names.join(', ')}) do not match the job names (${NOTIFICATION_JOB_NAMES.join(', ')})`,
      );
    }
  }

  process(job: Job): Promise<unknown> {
    const handler = this.handlers[job.name as NotificationJobName] as
      ((data: unknown) => Promise<unknown>) | undefined;
    if (!handler) throw new UnrecoverableError(`No handler for job ${job.name}`);
    return handler(job.data);
  }
}
