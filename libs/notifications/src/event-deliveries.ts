import { NewDelivery } from './delivery-ledger.repository';
import { OutboxJob } from './job-contracts';
import { personalLedgerChannels } from './notice-channels';
import { ItemFacts, UserFacts } from './notice-facts';

// The delivery rows an outbox event gives its registrant and its organization's webhooks, built alike whether the
// event is handled alone (`outbox-event`) or with its relay pass's others (`outbox-events`).

/** One webhook message of an event: what else keys it in the ledger (`ref`), and what it carries. */
export interface WebhookMessage {
  ref?: string;
  payload: Record<string, unknown>;
}

/** The item version an event's rows name: the one it was written for, else the item's as it is read now. */
export function eventItemVersion(event: OutboxJob, item: ItemFacts): number {
  return event.itemVersion ?? item.version;
}

/** The event's one webhook message (a meeting event may have several): its payload and its outbox id. */
export function eventWebhookMessage(event: OutboxJob, ref?: string): WebhookMessage[] {
  return [{ ref, payload: { ...event.payload, outboxId: event.outboxId } }];
}

/**
 * The registrant's own ledger row of an event (notice-channels.ts); none for an event of no registration,
 * or of a person gone (erased).
 */
export function registrantDeliveries(
  event: OutboxJob,
  item: ItemFacts,
  user: UserFacts | null,
): NewDelivery[] {
  const { registrationId } = event;
  if (!user || !registrationId) return [];
  return personalLedgerChannels(user).map((channel) => ({
    userId: user.id,
    channel,
    kind: event.kind,
    itemId: item.id,
    itemVersion: eventItemVersion(event, item),
    registrationId,
  }));
}

/** Each of the organization's webhooks gets each of the event's messages. */
export function webhookDeliveries(
  event: OutboxJob,
  item: ItemFacts,
  webhooks: { id: string }[],
  messages: WebhookMessage[],
): NewDelivery[] {
  return webhooks.flatMap((webhook) =>
    messages.map(({ ref, payload }) => ({
      webhookId: webhook.id,
      channel: 'webhook' as const,
      kind: event.kind,
      itemId: item.id,
      itemVersion: eventItemVersion(event, item),
      registrationId: event.registrationId ?? undefined,
      ref,
      payload,
    })),
  );
}
