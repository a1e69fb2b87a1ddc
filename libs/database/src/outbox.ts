import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** What the worker tells participants about; one outbox row per change, written in the change's transaction. */
export type OutboxKind =
  | 'registration_confirmed'
  | 'waitlisted'
  | 'waitlist_promoted'
  | 'registration_cancelled'
  | 'item_rescheduled'
  | 'item_cancelled'
  | 'item_displaced'
  | 'programme_unpublished'
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

/** An outbox row as the relay reads it. */
export interface OutboxRow {
  id: string;
  kind: OutboxKind;
  itemId: string;
  registrationId: string | null;
  userId: string | null;
  itemVersion: number | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** The relay side of the outbox: the worker's door to the rows that `appendOutbox` writes. */
@Injectable()
export class OutboxRelayRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Takes unrelayed outbox rows (skipping those another relay holds), lets `enqueue` turn them into jobs,
   * then marks them relayed. If the process dies before commit, the rows stay and a later pass enqueues them again:
   * a lone event under the same job id, which dedupes it, but a group of events perhaps cut otherwise, under a new id.
   * Handling an event twice adds nothing: each delivery row is written once per unique key (`deliveries_once`,
   * ON CONFLICT DO NOTHING), and reminder fan-outs have fixed job ids.
   */
  relayOutbox(limit: number, enqueue: (rows: OutboxRow[]) => Promise<void>): Promise<OutboxRow[]> {
    // In the order written: `outbox.id`, the bigint (the bare `id` would be the text column selected, 10 before 9).
    return this.db.transaction(async (tx) => {
      const rows: OutboxRow[] = await tx.query(
        `SELECT id::text, kind, item_id AS "itemId", registration_id AS "registrationId", user_id AS "userId",
                item_version AS "itemVersion", payload, created_at AS "createdAt"
           FROM outbox WHERE relayed_at IS NULL ORDER BY outbox.id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return rows;
      await enqueue(rows);
      await tx.query('UPDATE outbox SET relayed_at = now() WHERE id = ANY($1::bigint[])', [
        rows.map((r) => r.id),
      ]);
      return rows;
    });
  }

  /** Seconds since the oldest unrelayed row was written; 0 when none waits. */
  async outboxLagSeconds(): Promise<number> {
    const [row]: { lag: number | null }[] = await this.db.query(
      `SELECT extract(epoch FROM now() - min(created_at))::float AS lag FROM outbox WHERE relayed_at IS NULL`,
    );
    return row?.lag ?? 0;
  }
}
