import { Module } from '@nestjs/common';
import { OutboxRelayRepository, registerQueues } from '@pavilion/database';
import { AccountLetters } from './account-letters';
import { AudienceRepository } from './audience.repository';
import { EmailChannel } from './channels/email.channel';
import { SmtpSendRate } from './channels/send-rate';
import { WebhookChannel } from './channels/webhook.channel';
import { DeliveryLedgerRepository } from './delivery-ledger.repository';
import { DeliveryService } from './delivery.service';
import { InboxWebhooksDeskRepository } from './inbox-webhooks-desk.repository';
import { JobQueues } from './job-contracts';
import { BackstopSweepHandler } from './backstop-sweep.handler';
import { ChangeNoticeHandler } from './change-notice.handler';
import { DeliveryDeskService } from './delivery-desk.service';
import { InboxService } from './inbox.service';
import { OutboxEventHandler } from './outbox-event.handler';
import { OutboxEventsHandler } from './outbox-events.handler';
import { ReminderFanoutHandler } from './reminder-fanout.handler';
import { MeetingFanout } from './meeting-fanout';
import { MeetingNoticesRepository } from './meeting-notices.repository';
import { PavilionMetrics } from './metrics';
import { OutboxNudge } from './outbox-nudge';
import { OutboxRelay } from './outbox-relay.service';
import { SpeakerAudienceRepository } from './speaker-audience.repository';
import { DELIVERIES_QUEUE, NOTIFICATIONS_QUEUE } from './job-contracts';

/** What the worker and the API use: the relay, the job handlers, the sends, the inbox and the delivery desk. */
const SERVICES = [
  AccountLetters,
  JobQueues,
  PavilionMetrics,
  OutboxRelay,
  OutboxNudge,
  OutboxEventHandler,
  OutboxEventsHandler,
  ReminderFanoutHandler,
  ChangeNoticeHandler,
  BackstopSweepHandler,
  DeliveryService,
  InboxService,
  DeliveryDeskService,
];

/** Needs BullModule.forRoot and RedisModule from the app that imports it. */
@Module({
  imports: [registerQueues(NOTIFICATIONS_QUEUE, DELIVERIES_QUEUE)],
  providers: [
    ...SERVICES,
    // The lib's own: its doors to PostgreSQL, the meeting notices' fan-out, the channels.
    OutboxRelayRepository,
    AudienceRepository,
    SpeakerAudienceRepository,
    DeliveryLedgerRepository,
    InboxWebhooksDeskRepository,
    MeetingNoticesRepository,
    MeetingFanout,
    EmailChannel,
    SmtpSendRate,
    WebhookChannel,
  ],
  exports: SERVICES,
})
export class NotificationsModule {}
