import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { OutboxRelayRepository } from '@pavilion/database';
import { AccountLetters } from './account-letters';
import { AudienceRepository } from './audience.repository';
import { EmailChannel } from './channels/email.channel';
import { SmtpSendRate } from './channels/send-rate';
import { WebhookChannel } from './channels/webhook.channel';
import { DeliveryLedgerRepository } from './delivery-ledger.repository';
import { DeliveryService } from './delivery.service';
import { FanoutService } from './fanout.service';
import { InboxWebhooksDeskRepository } from './inbox-webhooks-desk.repository';
import { JobQueues } from './job-queues';
import { MeetingFanout } from './meeting-fanout';
import { MeetingNoticesRepository } from './meeting-notices.repository';
import { PavilionMetrics } from './metrics';
import { NotificationsAdminService } from './notifications-admin.service';
import { OutboxNudge } from './outbox-nudge';
import { OutboxRelay } from './outbox-relay.service';
import { DELIVERIES_QUEUE, NOTIFICATIONS_QUEUE } from './queues';

/** Needs BullModule.forRoot and RedisModule from the app that imports it. */
@Module({
  imports: [BullModule.registerQueue({ name: NOTIFICATIONS_QUEUE }, { name: DELIVERIES_QUEUE })],
  providers: [
    OutboxRelayRepository,
    AudienceRepository,
    DeliveryLedgerRepository,
    InboxWebhooksDeskRepository,
    MeetingNoticesRepository,
    MeetingFanout,
    JobQueues,
    PavilionMetrics,
    OutboxRelay,
    OutboxNudge,
    FanoutService,
    DeliveryService,
    EmailChannel,
    SmtpSendRate,
    WebhookChannel,
    NotificationsAdminService,
    AccountLetters,
  ],
  exports: [
    AccountLetters,
    JobQueues,
    PavilionMetrics,
    OutboxRelay,
    OutboxNudge,
    FanoutService,
    DeliveryService,
    NotificationsAdminService,
  ],
})
export class NotificationsModule {}
