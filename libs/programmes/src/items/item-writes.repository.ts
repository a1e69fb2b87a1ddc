import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { appendOutbox, OutboxEvent, returnedRows } from '@pavilion/database';
import { ProgrammeItem } from '../programme.entities';

export interface ConflictRow {
  /** The item in the way, or for kind `closure` the closure's id. */
  item_id: string;
  title: string;
  starts_at: Date;
  ends_at: Date;
  timezone: string;
  kind: 'space' | 'speaker' | 'closure';
  what: string;
}

export type ItemWrite = Omit<
  ProgrammeItem,
  | 'id'
  | 'createdAt'
  | 'updatedAt'
  | 'status'
  | 'cancelReason'
  | 'cancelledAt'
  | 'version'
  | 'confirmedCount'
  | 'waitlistCount'
  | 'displacedBy'
>;

/** Items' rows on the write side: look-ups before a write, what is in the way, inserts and locked updates. */
@Injectable()
export class ItemWritesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findItem(id: string): Promise<ProgrammeItem | null> {
    return this.db.getRepository(ProgrammeItem).findOneBy({ id });
  }

  /** Live items that would share the space or a speaker with [startsAt, endsAt), and closures of the space then. */
  findConflicts(a: {
    spaceId: string;
    speakerIds: string[];
    startsAt: Date;
    endsAt: Date;
    exceptItemId?: string;
  }) {
    return this.db.query<ConflictRow[]>(
      `WITH candidate AS (SELECT tstzrange($3::timestamptz, $4::timestamptz, '[)') AS during)
       SELECT i.id AS item_id, i.title, i.starts_at, i.ends_at, v.timezone, 'space' AS kind, sp.name AS what
         FROM programme_items i, candidate c, spaces sp, pavilions pv, venues v
        WHERE i.space_id = $1 AND i.status <> 'cancelled' AND i.during && c.during
          AND i.id IS DISTINCT FROM $5::uuid
          AND sp.id = i.space_id AND pv.id = sp.pavilion_id AND v.id = pv.venue_id
       UNION ALL
       SELECT i.id, i.title, i.starts_at, i.ends_at, v.timezone, 'speaker', s.name
         FROM item_speakers isp, candidate c, programme_items i, speakers s, spaces sp, pavilions pv, venues v
        WHERE isp.speaker_id = ANY($2::uuid[]) AND isp.active AND isp.during && c.during
          AND isp.item_id IS DISTINCT FROM $5::uuid
          AND i.id = isp.item_id AND s.id = isp.speaker_id
          AND sp.id = i.space_id AND pv.id = sp.pavilion_id AND v.id = pv.venue_id
       UNION ALL
       SELECT c.id, c.reason, lower(c.during), upper(c.during), v.timezone, 'closure', sp.name
         FROM space_closures c, candidate cd, spaces sp, pavilions pv, venues v
        WHERE c.space_id = $1 AND c.during && cd.during
          AND sp.id = c.space_id AND pv.id = sp.pavilion_id AND v.id = pv.venue_id
       ORDER BY starts_at`,
      [a.spaceId, a.speakerIds, a.startsAt, a.endsAt, a.exceptItemId ?? null],
    );
  }

  /**
   * Inserts the item and its speakers in one transaction; the database has the last word: the exclusion
   * constraints `programme_items_space_no_overlap` and `item_speakers_no_overlap` (a concurrent writer loses),
   * `programme_items_fit_their_space` (no archived space, no more seats than it has) and
   * `programme_items_keep_out_of_closures` (no closed space). At commit `programme_items_changelog_insert` and
   * `item_speakers_changelog` record it for the changelog, and `item_speakers_revision` moves the fingerprint.
   */
  insertItem(
    item: ItemWrite,
    speakerIds: string[],
    status: 'scheduled' | 'unplaced' = 'scheduled',
  ): Promise<ProgrammeItem> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(ProgrammeItem);
      const saved = await repo.save(repo.create({ ...item, status, version: 1 }));
      await this.setSpeakers(tx, saved.id, speakerIds);
      return repo.findOneByOrFail({ id: saved.id });
    });
  }

  /**
   * An import's items with their speakers, all in one transaction: every row is written, or none (a row refused
   * by `programme_items_space_no_overlap` or `item_speakers_no_overlap` refuses the file).
   */
  insertItems(rows: { item: ItemWrite; speakerIds: string[] }[]): Promise<void> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(ProgrammeItem);
      for (const { item, speakerIds } of rows) {
        const saved = await repo.save(repo.create({ ...item, status: 'scheduled', version: 1 }));
        await this.setSpeakers(tx, saved.id, speakerIds);
      }
    });
  }

  /**
   * Locks the item, lets `decide` compute the change from the locked row (or refuse by throwing), then
   * writes it — speakers included — in the same transaction. The database does the rest of the write:
   * - `programme_items_speakers_follow` (`item_speakers_follow_item`) moves the speakers' rows with the item, so
   *   `item_speakers_no_overlap` and `programme_items_space_no_overlap` judge the new time;
   * - `programme_items_fit_their_space` and `programme_items_keep_out_of_closures` refuse a place that does not
   *   fit or is closed;
   * - a cancel: `programme_items_cancel_cascade` (`programme_items_cancel_registrations`) cancels the item's
   *   registrations; a raised capacity: `programme_items_settle_on_capacity` (`programme_items_capacity_raised`)
   *   runs `settle_waitlist`;
   * - `programme_items_commitments` (`programme_items_follow_commitments`) moves the registrants' commitments and
   *   cancels the B2B meetings the item no longer holds, or refuses (`b2b_session_keeps_its_meetings`);
   * - `programme_items_revision` (`bump_revision`) and `programme_items_notify` move the public fingerprint;
   *   `programme_items_changelog` records the public change at commit.
   */
  updateItem(
    id: string,
    decide: (
      locked: ProgrammeItem,
    ) => Promise<{ change: Partial<ProgrammeItem>; speakerIds?: string[]; events?: OutboxEvent[] }>,
  ): Promise<ProgrammeItem> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(ProgrammeItem);
      const locked = await repo.findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
      const { change, speakerIds, events = [] } = await decide(locked);
      // Speakers leaving the item must not be moved with it by the trigger first; those who stay keep what they
      // were told of its place, so a move in the same edit still reaches them.
      const told = speakerIds
        ? returnedRows<object>(
            await tx.query(
              `DELETE FROM item_speakers WHERE item_id = $1
               RETURNING speaker_id, told_starts_at, told_ends_at, told_space_id`,
              [id],
            ),
          )
        : [];
      await repo.update({ id }, { ...change, updatedAt: new Date() });
      if (speakerIds) await this.setSpeakers(tx, id, speakerIds, told);
      await appendOutbox(tx, events);
      return repo.findOneByOrFail({ id });
    });
  }

  findItems(ids: string[]): Promise<ProgrammeItem[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .getRepository(ProgrammeItem)
      .createQueryBuilder('i')
      .where('i.id = ANY(:ids)', { ids })
      .getMany();
  }

  /**
   * `told`: the rows of speakers the item had, whose told_* carry over; new speakers are stamped with the item's
   * place by `item_speakers_told` (`item_speakers_told_current`).
   */
  private async setSpeakers(
    tx: EntityManager,
    itemId: string,
    speakerIds: string[],
    told: object[] = [],
  ): Promise<void> {
    if (speakerIds.length === 0) return;
    await tx.query(
      `INSERT INTO item_speakers (item_id, speaker_id, position, during, active, told_starts_at, told_ends_at, told_space_id)
       SELECT i.id, s.id, s.ord - 1, i.during, i.status = 'scheduled', t.told_starts_at, t.told_ends_at, t.told_space_id
         FROM programme_items i CROSS JOIN unnest($2::uuid[]) WITH ORDINALITY AS s(id, ord)
         LEFT JOIN jsonb_to_recordset($3::jsonb)
                     AS t(speaker_id uuid, told_starts_at timestamptz, told_ends_at timestamptz, told_space_id uuid)
                ON t.speaker_id = s.id
        WHERE i.id = $1`,
      [itemId, speakerIds, JSON.stringify(told)],
    );
  }
}
