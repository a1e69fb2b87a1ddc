import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { appendOutbox, OutboxEvent, returnedRows } from '@pavilion/database';
import { ProgrammeItem } from '../programme.entities';

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface SchedulingRunRow {
  id: string;
  programme_id: string;
  status: RunStatus;
  options: Record<string, unknown>;
  snapshot: unknown;
  progress: number;
  result: unknown;
  error: string | null;
  attempts: number;
  started_at: Date | null;
  finished_at: Date | null;
  applied_at: Date | null;
  created_at: Date;
}

/** A placement as `apply` writes it: the item's new place, and what the run saw of the item. */
export interface PlacementWrite {
  itemId: string;
  spaceId: string;
  startsAt: Date;
  endsAt: Date;
  seen: {
    status: string;
    spaceId: string | null;
    startsAt: string | null;
    endsAt: string | null;
    version: number;
  };
}

/** The scheduling runs' door to PostgreSQL, and the one transaction that applies a run to the programme. */
@Injectable()
export class SchedulingRunsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A new queued run; null when the programme already has one queued or running (a unique index decides). */
  async insertRun(programmeId: string, options: object, snapshot: object): Promise<SchedulingRunRow | null> {
    const rows: SchedulingRunRow[] = await this.db.query(
      `INSERT INTO scheduling_runs (programme_id, options, snapshot) VALUES ($1, $2, $3)
       ON CONFLICT (programme_id) WHERE status IN ('queued', 'running') DO NOTHING
       RETURNING *`,
      [programmeId, options, snapshot],
    );
    return rows[0] ?? null;
  }

  async findRun(id: string): Promise<SchedulingRunRow | null> {
    const rows: SchedulingRunRow[] = await this.db.query('SELECT * FROM scheduling_runs WHERE id = $1', [id]);
    return rows[0] ?? null;
  }

  /** Takes a queued run for a worker, with a lease; null if it is no longer queued (cancelled, or taken). */
  async claim(id: string, leaseMs: number): Promise<SchedulingRunRow | null> {
    const rows = returnedRows<SchedulingRunRow>(
      await this.db.query(
        `UPDATE scheduling_runs
          SET status = 'running', started_at = now(), attempts = attempts + 1,
              lease_until = now() + $2 * interval '1 millisecond'
        WHERE id = $1 AND status = 'queued'
        RETURNING *`,
        [id, leaseMs],
      ),
    );
    return rows[0] ?? null;
  }

  /** Renews the lease and records progress; returns the run's status (the API may have cancelled it). */
  async heartbeat(id: string, progress: number, leaseMs: number): Promise<RunStatus | null> {
    const rows = returnedRows<{ status: RunStatus }>(
      await this.db.query(
        `UPDATE scheduling_runs
          SET progress = CASE WHEN status = 'running' THEN greatest(progress, $2) ELSE progress END,
              lease_until = CASE WHEN status = 'running' THEN now() + $3 * interval '1 millisecond' ELSE lease_until END
        WHERE id = $1
        RETURNING status`,
        [id, progress, leaseMs],
      ),
    );
    return rows[0]?.status ?? null;
  }

  /** Ends a running run (done or failed); a run cancelled meanwhile stays cancelled. */
  async finish(
    id: string,
    status: 'done' | 'failed',
    result: unknown,
    error: string | null,
  ): Promise<boolean> {
    const rows = returnedRows<{ id: string }>(
      await this.db.query(
        `UPDATE scheduling_runs
          SET status = $2, result = $3, error = $4, finished_at = now(), lease_until = NULL,
              progress = CASE WHEN $2 = 'done' THEN 1 ELSE progress END
        WHERE id = $1 AND status = 'running'
        RETURNING id`,
        [id, status, result === null ? null : JSON.stringify(result), error],
      ),
    );
    return rows.length > 0;
  }

  async cancel(id: string): Promise<SchedulingRunRow | null> {
    const rows = returnedRows<SchedulingRunRow>(
      await this.db.query(
        `UPDATE scheduling_runs SET status = 'cancelled', finished_at = now(), lease_until = NULL
        WHERE id = $1 AND status IN ('queued', 'running')
        RETURNING *`,
        [id],
      ),
    );
    return rows[0] ?? null;
  }

  /** Runs whose worker stopped renewing the lease (it died): they end failed, never running forever. */
  async failLapsed(): Promise<string[]> {
    const rows = returnedRows<{ id: string }>(
      await this.db.query(
        `UPDATE scheduling_runs
          SET status = 'failed', finished_at = now(), lease_until = NULL,
              error = 'the worker running it stopped before it finished'
        WHERE status = 'running' AND lease_until < now()
        RETURNING id`,
      ),
    );
    return rows.map((r) => r.id);
  }

  /** Queued runs older than `ageMs` (their job may have been lost with Redis): to be queued again. */
  async staleQueued(ageMs: number): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM scheduling_runs WHERE status = 'queued' AND created_at < now() - $1 * interval '1 millisecond'`,
      [ageMs],
    );
    return rows.map((r) => r.id);
  }

  // Reads for the snapshot

  /** The programme's live items (placed and unplaced) with their speakers. */
  async programmeItems(programmeId: string): Promise<{ item: ProgrammeItem; speakerIds: string[] }[]> {
    const items = await this.db
      .getRepository(ProgrammeItem)
      .createQueryBuilder('i')
      .where('i.programme_id = :programmeId', { programmeId })
      .andWhere(`i.status <> 'cancelled'`)
      .orderBy('i.created_at')
      .addOrderBy('i.id')
      .getMany();
    return this.withSpeakers(items);
  }

  /** Other programmes' placed items that take one of `spaceIds` or `speakerIds` within [from, to). */
  async blockingItems(
    programmeId: string,
    spaceIds: string[],
    speakerIds: string[],
    from: Date,
    to: Date,
  ): Promise<{ item: ProgrammeItem; speakerIds: string[] }[]> {
    const items = await this.db
      .getRepository(ProgrammeItem)
      .createQueryBuilder('i')
      .where('i.programme_id <> :programmeId', { programmeId })
      .andWhere(`i.status = 'scheduled'`)
      .andWhere(`i.during && tstzrange(:from, :to, '[)')`, { from, to })
      .andWhere(
        `(i.space_id = ANY(:spaceIds) OR EXISTS (
            SELECT 1 FROM item_speakers s WHERE s.item_id = i.id AND s.speaker_id = ANY(:speakerIds)))`,
        { spaceIds, speakerIds },
      )
      .getMany();
    return this.withSpeakers(items);
  }

  /** Closures of these spaces within [from, to). */
  closures(
    spaceIds: string[],
    from: Date,
    to: Date,
  ): Promise<{ space_id: string; starts_at: Date; ends_at: Date }[]> {
    return this.db.query(
      `SELECT space_id, lower(during) AS starts_at, upper(during) AS ends_at FROM space_closures
        WHERE space_id = ANY($1::uuid[]) AND during && tstzrange($2, $3, '[)')`,
      [spaceIds, from, to],
    );
  }

  private async withSpeakers(items: ProgrammeItem[]) {
    const rows: { item_id: string; speaker_id: string }[] = items.length
      ? await this.db.query(
          `SELECT item_id, speaker_id FROM item_speakers WHERE item_id = ANY($1::uuid[]) ORDER BY position`,
          [items.map((i) => i.id)],
        )
      : [];
    return items.map((item) => ({
      item,
      speakerIds: rows.filter((r) => r.item_id === item.id).map((r) => r.speaker_id),
    }));
  }

  // Apply

  /**
   * Writes the chosen placements in one transaction: each item must still be as the run saw it (else
   * `changed` names it and nothing is written); the exclusion constraints `programme_items_space_no_overlap`
   * and `item_speakers_no_overlap`, deferred to the commit, re-check every overlap. A moved published item gets version + 1 and a change notice through the outbox.
   */
  async apply(
    runId: string,
    placements: PlacementWrite[],
    published: boolean,
  ): Promise<{ applied: number } | { changed: ProgrammeItem[] } | { notDone: string }> {
    return this.db.transaction(async (tx) => {
      const [run]: SchedulingRunRow[] = await tx.query(
        'SELECT * FROM scheduling_runs WHERE id = $1 FOR UPDATE',
        [runId],
      );
      if (run.status !== 'done') return { notDone: `the run is ${run.status}` };
      if (run.applied_at) return { notDone: 'the run was already applied' };
      await tx.query('SET CONSTRAINTS programme_items_space_no_overlap, item_speakers_no_overlap DEFERRED');
      const items = await tx
        .getRepository(ProgrammeItem)
        .createQueryBuilder('i')
        .setLock('pessimistic_write')
        .where('i.id = ANY(:ids)', { ids: placements.map((p) => p.itemId) })
        .getMany();
      const byId = new Map(items.map((i) => [i.id, i]));
      const changed = placements
        .filter((p) => {
          const item = byId.get(p.itemId);
          return !item || !sameAsSeen(item, p.seen);
        })
        .flatMap((p) => byId.get(p.itemId) ?? []);
      if (changed.length) return { changed };
      const events: OutboxEvent[] = [];
      for (const p of placements) {
        const item = byId.get(p.itemId) as ProgrammeItem;
        const moves = item.status === 'scheduled';
        const bump = moves && published;
        await tx.query(
          `UPDATE programme_items i
              SET space_id = $2, starts_at = $3, ends_at = $4, status = 'scheduled',
                  capacity = CASE WHEN i.capacity_from_space AND i.status = 'unplaced'
                             THEN (SELECT capacity FROM space_capacities WHERE id = $2) ELSE i.capacity END,
                  version = i.version + $5, updated_at = now()
            WHERE i.id = $1`,
          [p.itemId, p.spaceId, p.startsAt, p.endsAt, bump ? 1 : 0],
        );
        if (bump) {
          events.push({
            kind: 'item_rescheduled',
            itemId: item.id,
            itemVersion: item.version + 1,
            payload: {
              previous: {
                startsAt: item.startsAt,
                endsAt: item.endsAt,
                spaceId: item.spaceId,
                version: item.version,
              },
            },
          });
        }
      }
      await appendOutbox(tx, events);
      await tx.query('UPDATE scheduling_runs SET applied_at = now() WHERE id = $1', [runId]);
      // The deferred exclusion constraints check here, inside the transaction, so a conflict rolls back all.
      await tx.query('SET CONSTRAINTS programme_items_space_no_overlap, item_speakers_no_overlap IMMEDIATE');
      return { applied: placements.length };
    });
  }
}

function sameAsSeen(item: ProgrammeItem, seen: PlacementWrite['seen']): boolean {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return (
    item.status === seen.status &&
    item.spaceId === seen.spaceId &&
    iso(item.startsAt) === seen.startsAt &&
    iso(item.endsAt) === seen.endsAt &&
    item.version === seen.version
  );
}
