import { EntityManager } from 'typeorm';

/** What the worker tells participants about; one outbox row per change, written in the change's transaction. */
export type OutboxKind =
  | 'registration_confirmed'
  | 'waitlisted'
  | 'waitlist_promoted'
  | 'registration_cancelled'
  | 'item_rescheduled'
  | 'item_cancelled'
  | 'item_displaced'
  | 'meeting_request'
  | 'meeting_request_answered'
  | 'meeting_scheduled'
  | 'meeting_cancelled';

export interface OutboxEvent {
  kind: OutboxKind;
  itemId: string;
  registrationId?: string;
  userId?: string;
  itemVersion?: number;
  payload?: Record<string, unknown>;
}

/** Appends events inside the caller's transaction: they commit or vanish with the change they describe. */
export async function appendOutbox(tx: EntityManager, events: OutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.query(
    `INSERT INTO outbox (kind, item_id, registration_id, user_id, item_version, payload)
     SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::int[], $6::jsonb[])`,
    [
      events.map((e) => e.kind),
      events.map((e) => e.itemId),
      events.map((e) => e.registrationId ?? null),
      events.map((e) => e.userId ?? null),
      events.map((e) => e.itemVersion ?? null),
      events.map((e) => JSON.stringify(e.payload ?? {})),
    ],
  );
}
