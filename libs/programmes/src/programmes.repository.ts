import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { Actor } from '@pavilion/core';
import { appendOutbox, OutboxEvent, PgSqlState, violates } from '@pavilion/database';
import { ItemType, Programme, ProgrammeItem, Speaker } from './programme.entities';

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

export interface ItemFilter {
  programmeId: string;
  from?: Date;
  to?: Date;
  type?: ItemType;
  spaceId?: string;
  language?: string;
  q?: string;
  after?: { startsAt: string; id: string };
  /** Owners see their unplaced items too (never the public). */
  includeUnplaced?: boolean;
  limit: number;
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

/** The programmes lib's only door to PostgreSQL. */
@Injectable()
export class ProgrammesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  // Programmes

  createProgramme(
    p: Omit<Programme, 'id' | 'createdAt' | 'updatedAt' | 'status' | 'publishedAt'>,
  ): Promise<Programme> {
    const repo = this.db.getRepository(Programme);
    return repo.save(repo.create({ ...p, status: 'draft', publishedAt: null }));
  }

  async hasAnyProgramme(): Promise<boolean> {
    return (await this.db.getRepository(Programme).count({ take: 1 })) > 0;
  }

  findProgramme(id: string): Promise<Programme | null> {
    return this.db.getRepository(Programme).findOneBy({ id });
  }

  /** Published programmes, and drafts of organizations the actor acts for. */
  listProgrammes(
    actor: Actor | null,
    limit: number,
    organizationId?: string,
    after?: { startsOn: string; id: string },
  ) {
    const qb = this.db
      .getRepository(Programme)
      .createQueryBuilder('p')
      .orderBy('p.starts_on')
      .addOrderBy('p.id')
      .limit(limit);
    if (actor?.role !== 'admin') {
      qb.where(`(p.status = 'published' OR p.organization_id = ANY(:orgs))`, {
        orgs: actor?.organizationIds ?? [],
      });
    }
    if (organizationId) qb.andWhere('p.organization_id = :organizationId', { organizationId });
    if (after) qb.andWhere('(p.starts_on, p.id) > (:startsOn, :id)', after);
    return qb.getMany();
  }

  /** Locks the programme, lets `decide` compute the change (or refuse by throwing), and writes it. */
  updateProgramme(
    id: string,
    decide: (locked: Programme) => Promise<Partial<Programme>>,
  ): Promise<Programme> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(Programme);
      const locked = await repo.findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
      return repo.save(repo.merge(locked, await decide(locked)));
    });
  }

  /**
   * Deletes a draft with its items and scheduling runs, under the programme's row lock; `refuse` sees the
   * locked row and how many registrations its items hold. 'gone' when there is none; 'kept' when rows of
   * history (cancelled registrations, notices sent) still refer to its items, and nothing is deleted.
   */
  deleteDraft(
    id: string,
    refuse: (locked: Programme, registrations: number) => void,
  ): Promise<'deleted' | 'gone' | 'kept'> {
    return this.db.transaction(async (tx) => {
      const locked = await tx
        .getRepository(Programme)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!locked) return 'gone';
      const [{ held }] = await tx.query(
        `SELECT coalesce(sum(confirmed_count + waitlist_count), 0)::int AS held FROM programme_items WHERE programme_id = $1`,
        [id],
      );
      refuse(locked, held);
      await tx.query('SAVEPOINT programme_delete');
      try {
        await tx.query('DELETE FROM scheduling_runs WHERE programme_id = $1', [id]);
        await tx.query('DELETE FROM programme_items WHERE programme_id = $1', [id]);
        await tx.query('DELETE FROM programmes WHERE id = $1', [id]);
        return 'deleted';
      } catch (error) {
        if (!violates(error, PgSqlState.ForeignKeyViolation)) throw error;
        await tx.query('ROLLBACK TO SAVEPOINT programme_delete');
        return 'kept';
      }
    });
  }

  /** Items (not cancelled) of a programme that start before `from` or end after `to`. */
  itemsOutside(programmeId: string, from: Date, to: Date): Promise<ProgrammeItem[]> {
    return this.db
      .getRepository(ProgrammeItem)
      .createQueryBuilder('i')
      .where('i.programme_id = :programmeId', { programmeId })
      .andWhere(`i.status = 'scheduled'`)
      .andWhere('(i.starts_at < :from OR i.ends_at > :to)', { from, to })
      .orderBy('i.starts_at')
      .getMany();
  }

  // Speakers

  createSpeaker(s: Omit<Speaker, 'id' | 'createdAt' | 'archivedAt'>): Promise<Speaker> {
    const repo = this.db.getRepository(Speaker);
    return repo.save(repo.create(s));
  }

  listSpeakers(limit: number, q?: string, after?: { name: string; id: string }): Promise<Speaker[]> {
    const qb = this.db
      .getRepository(Speaker)
      .createQueryBuilder('s')
      .orderBy('s.name')
      .addOrderBy('s.id')
      .where('s.archived_at IS NULL')
      .limit(limit);
    if (q) qb.andWhere('(s.name ILIKE :q OR s.affiliation ILIKE :q)', { q: likePattern(q) });
    if (after) qb.andWhere('(s.name, s.id) > (:name, :id)', after);
    return qb.getMany();
  }

  /** Changes a speaker's name, affiliation or email; null when there is no such (live) speaker. */
  async updateSpeaker(id: string, change: Partial<Speaker>): Promise<Speaker | null> {
    const repo = this.db.getRepository(Speaker);
    if (Object.keys(change).length) await repo.update({ id, archivedAt: IsNull() }, change);
    return repo.findOneBy({ id, archivedAt: IsNull() });
  }

  /**
   * Deletes a speaker under the row lock (an item taking the speaker waits on it), unless `check` refuses;
   * one who spoke in past or cancelled items is archived instead, so those items still name them.
   */
  removeSpeaker(id: string, check: (tx: EntityManager) => Promise<void>): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const found = await tx.query(
        'SELECT 1 FROM speakers WHERE id = $1 AND archived_at IS NULL FOR UPDATE',
        [id],
      );
      if (found.length === 0) return false;
      await check(tx);
      const [{ used }] = await tx.query(
        'SELECT EXISTS (SELECT 1 FROM item_speakers WHERE speaker_id = $1) AS used',
        [id],
      );
      if (used) await tx.query('UPDATE speakers SET archived_at = now() WHERE id = $1', [id]);
      else await tx.query('DELETE FROM speakers WHERE id = $1', [id]);
      return true;
    });
  }

  findSpeakers(ids: string[]): Promise<Speaker[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .getRepository(Speaker)
      .createQueryBuilder('s')
      .where('s.id = ANY(:ids)', { ids })
      .getMany();
  }

  async missingSpeakers(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const found: { id: string }[] = await this.db.query(
      'SELECT id FROM speakers WHERE id = ANY($1::uuid[]) AND archived_at IS NULL',
      [ids],
    );
    const known = new Set(found.map((r) => r.id));
    return ids.filter((id) => !known.has(id));
  }

  /** Speakers of each item, in the order they were given. */
  async speakersOf(itemIds: string[]): Promise<Map<string, Speaker[]>> {
    const byItem = new Map<string, Speaker[]>(itemIds.map((id) => [id, []]));
    if (itemIds.length === 0) return byItem;
    const rows: (Speaker & { item_id: string })[] = await this.db.query(
      `SELECT isp.item_id, s.id, s.name, s.affiliation, s.email
         FROM item_speakers isp JOIN speakers s ON s.id = isp.speaker_id
        WHERE isp.item_id = ANY($1::uuid[]) ORDER BY isp.position, s.name`,
      [itemIds],
    );
    for (const { item_id, ...speaker } of rows) byItem.get(item_id)?.push(speaker as Speaker);
    return byItem;
  }

  // Items

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

  /** Inserts the item and its speakers in one transaction; the exclusion constraints have the last word. */
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

  /** An import's items with their speakers, all in one transaction: every row is written, or none. */
  insertItems(rows: { item: ItemWrite; speakerIds: string[] }[]): Promise<void> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(ProgrammeItem);
      for (const { item, speakerIds } of rows) {
        const saved = await repo.save(repo.create({ ...item, status: 'scheduled', version: 1 }));
        await this.setSpeakers(tx, saved.id, speakerIds);
      }
    });
  }

  /** Live speakers whose lower-cased name or email is one of `keys`. */
  liveSpeakersByNameOrEmail(keys: string[]): Promise<Speaker[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.db
      .getRepository(Speaker)
      .createQueryBuilder('s')
      .where('s.archived_at IS NULL')
      .andWhere('(lower(s.name) = ANY(:keys) OR lower(s.email) = ANY(:keys))', { keys })
      .getMany();
  }

  /**
   * Locks the item, lets `decide` compute the change from the locked row (or refuse by throwing), then
   * writes it — speakers included — in the same transaction.
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
      // Speakers leaving the item must not be moved with it by the trigger first.
      if (speakerIds) await tx.query('DELETE FROM item_speakers WHERE item_id = $1', [id]);
      await repo.update({ id }, { ...change, updatedAt: new Date() });
      if (speakerIds) await this.setSpeakers(tx, id, speakerIds);
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

  /** A page of items by start; unplaced ones (only when asked: owners see them) come last, by id. */
  listItems(f: ItemFilter): Promise<ProgrammeItem[]> {
    const start = `coalesce(i.starts_at, 'infinity'::timestamptz)`;
    const qb = this.db
      .getRepository(ProgrammeItem)
      .createQueryBuilder('i')
      .where('i.programme_id = :programmeId', { programmeId: f.programmeId })
      .orderBy(start)
      .addOrderBy('i.id')
      .limit(f.limit);
    if (!f.includeUnplaced) qb.andWhere(`i.status <> 'unplaced'`);
    if (f.from && f.to) qb.andWhere('i.starts_at >= :from AND i.starts_at < :to', { from: f.from, to: f.to });
    if (f.type) qb.andWhere('i.type = :type', { type: f.type });
    if (f.spaceId) qb.andWhere('i.space_id = :spaceId', { spaceId: f.spaceId });
    if (f.language) qb.andWhere(':language = ANY(i.languages)', { language: f.language });
    if (f.q) qb.andWhere('(i.title ILIKE :q OR i.description ILIKE :q)', { q: likePattern(f.q) });
    if (f.after) qb.andWhere(`(${start}, i.id) > (:startsAt::timestamptz, :id)`, f.after);
    return qb.getMany();
  }

  private async setSpeakers(tx: EntityManager, itemId: string, speakerIds: string[]): Promise<void> {
    if (speakerIds.length === 0) return;
    await tx.query(
      `INSERT INTO item_speakers (item_id, speaker_id, position, during, active)
       SELECT i.id, s.id, s.ord - 1, i.during, i.status = 'scheduled'
         FROM programme_items i, unnest($2::uuid[]) WITH ORDINALITY AS s(id, ord)
        WHERE i.id = $1`,
      [itemId, speakerIds],
    );
  }
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
