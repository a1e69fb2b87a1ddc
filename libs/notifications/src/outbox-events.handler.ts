import { Injectable } from '@nestjs/common';
import { AudienceRepository } from './audience.repository';
import { DeliveryLedgerRepository, NewDelivery } from './delivery-ledger.repository';
import { eventWebhookMessage, registrantDeliveries, webhookDeliveries } from './event-deliveries';
import { JobQueues, NotificationJobs } from './job-contracts';
import { ItemFacts } from './notice-facts';
import { takesSeat } from './notice-kinds';
import { ReminderFanoutHandler } from './reminder-fanout.handler';

/**
 * The `outbox-events` job: a relay pass's registrant events (confirmations, waitlist moves, cancellations) handled
 * together, so that a registration rush costs a few statements and jobs per group instead of per registration.
 * Each event gets the rows the `outbox-event` job would give it (event-deliveries.ts); the facts they name are read
 * once per item, person and organization, the rows written in one statement and sent in shared batches. A group
 * handled twice adds nothing: delivery rows are unique, reminder fan-outs have fixed job ids.
 */
@Injectable()
export class OutboxEventsHandler {
  constructor(
    private readonly audience: AudienceRepository,
    private readonly ledger: DeliveryLedgerRepository,
    private readonly queues: JobQueues,
    private readonly reminders: ReminderFanoutHandler,
  ) {}

  async handle({ events }: NotificationJobs['outbox-events']): Promise<void> {
    const items = new Map<string, ItemFacts>();
    for (const itemId of new Set(events.map((e) => e.itemId))) {
      const item = await this.audience.itemFacts(itemId);
      if (item) items.set(itemId, item);
    }
    const told = events.flatMap((event) => {
      const item = items.get(event.itemId);
      return item ? [{ event, item }] : [];
    });
    const users = await this.audience.usersFacts([
      ...new Set(told.flatMap(({ event }) => (event.userId && event.registrationId ? [event.userId] : []))),
    ]);
    const webhooks = new Map<string, { id: string }[]>();
    for (const organizationId of new Set([...items.values()].map((item) => item.organizationId)))
      webhooks.set(organizationId, await this.audience.webhooksOf(organizationId));

    const rows: NewDelivery[] = [];
    /** Per item, the people whose seat this group gives them: their reminders are scheduled together. */
    const seated = new Map<ItemFacts, string[]>();
    for (const { event, item } of told) {
      if (event.userId && event.registrationId) {
        rows.push(...registrantDeliveries(event, item, users.get(event.userId) ?? null));
        if (takesSeat(event.kind)) seated.set(item, [...(seated.get(item) ?? []), event.userId]);
      }
      const hooks = webhooks.get(item.organizationId) ?? [];
      rows.push(...webhookDeliveries(event, item, hooks, eventWebhookMessage(event)));
    }
    for (const [item, userIds] of seated) await this.reminders.schedule(item, [...new Set(userIds)]);
    const created = await this.ledger.createDeliveries(rows);
    await this.queues.queueSends(created.map(({ id }) => ({ id })));
  }
}
