import { Injectable } from '@nestjs/common';
import { AppConfig } from '@pavilion/config';
import { AudienceRepository } from './audience.repository';
import { DeliveryLedgerRepository, NewDelivery } from './delivery-ledger.repository';
import {
  eventItemVersion,
  eventWebhookMessage,
  registrantDeliveries,
  webhookDeliveries,
} from './event-deliveries';
import { JobQueues, jobIds, OutboxJob } from './job-contracts';
import { MeetingFanout, meetingWebhookMessages } from './meeting-fanout';
import { personalLedgerChannels } from './notice-channels';
import { isMeetingKind, takesSeat } from './notice-kinds';
import { ReminderFanoutHandler } from './reminder-fanout.handler';
import { SpeakerAudienceRepository } from './speaker-audience.repository';

/** Kinds each of whose events is its own message to everyone told (the ledger key's `ref` names the event). */
const ONE_PER_EVENT = new Set<string>(['item_displaced', 'programme_unpublished']);

/**
 * The `outbox-event` job: turns one relayed outbox event into its delivery rows (the ledger) and their send jobs,
 * and schedules what follows from it (reminders of a new seat, the coalesced change notice of a move). Registrant
 * events come grouped instead (outbox-events.handler.ts), with the same rows (event-deliveries.ts).
 */
@Injectable()
export class OutboxEventHandler {
  constructor(
    private readonly audience: AudienceRepository,
    private readonly ledger: DeliveryLedgerRepository,
    private readonly queues: JobQueues,
    private readonly config: AppConfig,
    private readonly meetings: MeetingFanout,
    private readonly reminders: ReminderFanoutHandler,
    private readonly speakers: SpeakerAudienceRepository,
  ) {}

  async handle(event: OutboxJob): Promise<void> {
    const item = await this.audience.itemFacts(event.itemId);
    if (!item) return;
    const version = eventItemVersion(event, item);
    const rows: NewDelivery[] = [];
    const meetingKind = isMeetingKind(event.kind);
    if (meetingKind) rows.push(...(await this.meetings.notices(event, item)));

    if (event.userId && event.registrationId) {
      const user = await this.audience.userFacts(event.userId);
      rows.push(...registrantDeliveries(event, item, user));
      if (takesSeat(event.kind)) await this.reminders.schedule(item, [event.userId]);
    }
    const eventRef = ONE_PER_EVENT.has(event.kind) ? `outbox-${event.outboxId}` : undefined;
    /** Each registrant's ledger row of this event (notice-channels.ts). */
    const toRegistrants = (registrants: Awaited<ReturnType<AudienceRepository['registrantsOf']>>) =>
      registrants.flatMap((registrant) =>
        personalLedgerChannels(registrant).map<NewDelivery>((channel) => ({
          userId: registrant.userId,
          channel,
          kind: event.kind,
          itemId: item.id,
          itemVersion: version,
          registrationId: registrant.registrationId,
          ref: eventRef,
          payload: event.payload,
        })),
      );
    // Live registrants keep their seats; each is told once per unpublication, even of a programme unpublished before.
    if (event.kind === 'programme_unpublished')
      rows.push(...toRegistrants(await this.audience.registrantsOf(item.id, 'live')));
    if (event.kind === 'item_cancelled') {
      const speakers =
        item.programmeStatus === 'published' ? await this.speakers.toldOfCancellation(item.id) : [];
      for (const speakerId of speakers)
        rows.push({
          speakerId,
          channel: 'email',
          kind: 'item_cancelled',
          itemId: item.id,
          itemVersion: version,
          payload: event.payload,
        });
      rows.push(...toRegistrants(await this.audience.registrantsOf(item.id, 'cancelled_with_item')));
      for (const offset of item.reminderOffsets)
        await this.queues.remove(jobIds.reminder(item.id, offset, version));
    }
    if (event.kind === 'item_rescheduled') {
      // Several edits within the window become one notice describing the net change (a waiting job absorbs the rest).
      await this.queues.add(
        'change-notice',
        { itemId: item.id },
        jobIds.change(item.id),
        this.config.changeNoticeWindowMs,
        true,
      );
      await this.reminders.schedule(item);
      const previous = (event.payload.previous ?? {}) as { version?: number };
      if (previous.version)
        for (const offset of item.reminderOffsets)
          await this.queues.remove(jobIds.reminder(item.id, offset, previous.version));
    }

    if (event.kind === 'item_displaced') {
      // The organizers, in the app (API.md); registrants hear only of the move. Each displacement is its own notice.
      for (const organizerId of await this.audience.organizersOf(item.organizationId)) {
        rows.push({
          userId: organizerId,
          channel: 'in_app',
          kind: 'item_displaced',
          itemId: item.id,
          itemVersion: version,
          ref: eventRef,
          payload: event.payload,
        });
      }
    }

    // A session's meeting events share item and version: each meeting of each event is its own webhook message;
    // so is each displacement of an item, and each unpublication.
    const messages = meetingKind ? meetingWebhookMessages(event) : eventWebhookMessage(event, eventRef);
    rows.push(
      ...webhookDeliveries(event, item, await this.audience.webhooksOf(item.organizationId), messages),
    );
    const created = await this.ledger.createDeliveries(rows);
    await this.queues.queueSends(created.map(({ id }) => ({ id })));
  }
}
