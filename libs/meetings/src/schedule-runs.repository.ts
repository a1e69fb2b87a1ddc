import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { appendOutbox, returnedRows } from '@pavilion/database';
import { RUN, RunStatus, ScheduleRun, Session, StoredRunResult } from './meeting-rows';

/** Schedule runs: queued → running (heartbeats) → done / failed / cancelled, and publication of a run's meetings. */
@Injectable()
export class ScheduleRunsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A new queued run, unless one of this session is queued or running (null). Runs whose worker died are failed first. */
  async createRun(
    itemId: string,
    timeLimitSeconds: number,
    staleAfterMs: number,
  ): Promise<ScheduleRun | null> {
    await this.failStaleRuns(staleAfterMs, itemId);
    const rows: { id: string }[] = await this.db.query(
      `INSERT INTO b2b_schedule_runs (item_id, time_limit_seconds) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id`,
      [itemId, timeLimitSeconds],
    );
    return rows.length ? this.run(rows[0].id) : null;
  }

  async run(id: string): Promise<ScheduleRun | null> {
    const [row] = await this.db.query(`${RUN} WHERE id = $1`, [id]);
    return row ?? null;
  }

  /**
   * Runs marked running whose heartbeat stopped (the worker died and no retry took the job) become failed,
   * so no run stays running forever.
   */
  async failStaleRuns(staleAfterMs: number, itemId?: string): Promise<void> {
    await this.db.query(
      `UPDATE b2b_schedule_runs SET status = 'failed', error = 'the worker running it stopped', finished_at = now()
        WHERE status = 'running' AND heartbeat_at < now() - $1 * interval '1 millisecond'
          AND ($2::uuid IS NULL OR item_id = $2)`,
      [staleAfterMs, itemId ?? null],
    );
  }

  /** queued (or running again after a stalled worker) → running; false when the run is no longer wanted. */
  async startRun(id: string): Promise<boolean> {
    const rows = returnedRows(
      await this.db.query(
        `UPDATE b2b_schedule_runs SET status = 'running', started_at = coalesce(started_at, now()), heartbeat_at = now(), progress = 0
          WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
        [id],
      ),
    );
    return rows.length > 0;
  }

  /** Records progress and a heartbeat; returns the run's status (the worker stops when it reads `cancelled`). */
  async heartbeat(id: string, progress: number): Promise<RunStatus | null> {
    const [row] = returnedRows<{ status: RunStatus }>(
      await this.db.query(
        `UPDATE b2b_schedule_runs SET progress = CASE WHEN status = 'running' THEN $2 ELSE progress END, heartbeat_at = now()
          WHERE id = $1 RETURNING status`,
        [id, progress],
      ),
    );
    return row?.status ?? null;
  }

  async finishRun(id: string, outcome: { result: StoredRunResult } | { error: string }): Promise<void> {
    await this.db.query(
      `UPDATE b2b_schedule_runs SET status = CASE WHEN $2::jsonb IS NULL THEN 'failed' ELSE 'done' END,
              result = $2::jsonb, error = $3, progress = CASE WHEN $2::jsonb IS NULL THEN progress ELSE 1 END, finished_at = now()
        WHERE id = $1 AND status = 'running'`,
      [
        id,
        'result' in outcome ? JSON.stringify(outcome.result) : null,
        'error' in outcome ? outcome.error : null,
      ],
    );
  }

  async cancelRun(id: string): Promise<boolean> {
    const rows = returnedRows(
      await this.db.query(
        `UPDATE b2b_schedule_runs SET status = 'cancelled', finished_at = now() WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
        [id],
      ),
    );
    return rows.length > 0;
  }

  /**
   * Makes a run's meetings final in one transaction: those whose request is still accepted, with both parties
   * still in the session and no meeting yet. The constraints re-check each (a clash with anything that changed
   * since the run refuses the whole publication): `b2b_meetings_place`, `b2b_meetings_table_place_once`, and
   * the commitments `b2b_meetings_commitments` writes under `person_commitments_meeting_vs_meeting` and
   * `person_commitments_seat_vs_meeting`. One outbox event names the meetings; both parties of each are told.
   */
  publishRun(
    run: ScheduleRun,
    session: Session,
  ): Promise<{ published: number } | { alreadyPublished: true }> {
    return this.db.transaction(async (tx) => {
      const [locked]: { published_at: Date | null }[] = await tx.query(
        `SELECT published_at FROM b2b_schedule_runs WHERE id = $1 FOR UPDATE`,
        [run.id],
      );
      if (locked.published_at) return { alreadyPublished: true as const };
      const meetings = run.result?.meetings ?? [];
      const inserted: { id: string }[] = await tx.query(
        `INSERT INTO b2b_meetings (item_id, request_id, run_id, participant_a, participant_b, user_a, user_b, slot_index,
                                   table_number, starts_at, ends_at)
         SELECT $1, q.id, $2, q.from_participant_id, q.to_participant_id, f.user_id, t.user_id, m.slot, m.table,
                $3::timestamptz + m.slot * $4 * interval '1 minute', $3::timestamptz + (m.slot + 1) * $4 * interval '1 minute'
           FROM jsonb_to_recordset($5::jsonb) AS m("requestId" uuid, slot int, "table" int)
           JOIN b2b_requests q ON q.id = m."requestId" AND q.status = 'accepted'
           JOIN b2b_participants f ON f.id = q.from_participant_id AND f.status = 'active'
           JOIN b2b_participants t ON t.id = q.to_participant_id AND t.status = 'active'
          WHERE NOT EXISTS (SELECT 1 FROM b2b_meetings x WHERE x.request_id = q.id AND x.status = 'scheduled')
         RETURNING id`,
        [session.id, run.id, session.startsAt, session.meetingMinutes, JSON.stringify(meetings)],
      );
      // One event for the whole publication: the worker tells every party of every meeting in a few statements.
      if (inserted.length > 0)
        await appendOutbox(tx, [
          {
            kind: 'meeting_scheduled',
            itemId: session.id,
            payload: { runId: run.id, meetingIds: inserted.map((r) => r.id) },
          },
        ]);
      await tx.query(`UPDATE b2b_schedule_runs SET published_at = now() WHERE id = $1`, [run.id]);
      return { published: inserted.length };
    });
  }
}
