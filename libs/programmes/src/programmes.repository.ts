import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '@pavilion/core';
import { appendOutbox, PgSqlState, violates } from '@pavilion/database';
import { Programme, ProgrammeItem } from './programme.entities';

/**
 * Programmes' own rows: create, list, change and delete drafts. Items are written through ItemWritesRepository,
 * speakers through SpeakersRepository; the public read path (days, fingerprints) is ProgrammeReadsRepository
 * and the changelog ProgrammeChangelogRepository. With the displacement and scheduling-run repositories they
 * are the programmes lib's only doors to PostgreSQL.
 */
@Injectable()
export class ProgrammesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

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

  /**
   * Locks the programme, lets `decide` compute the change (or refuse by throwing), and writes it;
   * `programmes_revision` (`bump_revision`) and `programmes_notify` move its public fingerprint, and
   * `programmes_changelog` (`record_programme_change`) records a publication or a public change.
   */
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
   * Takes a published programme back to draft under its row lock (`refuse` sees the locked row first), with one
   * `programme_unpublished` outbox event per item that holds live registrations, so its registrants are told.
   * `programmes_notify` tells every API process at commit: kept public fingerprints are dropped, pages 404.
   */
  unpublish(id: string, refuse: (locked: Programme) => void): Promise<Programme> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(Programme);
      const locked = await repo.findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
      refuse(locked);
      const saved = await repo.save(repo.merge(locked, { status: 'draft', publishedAt: null }));
      const held: { id: string; version: number }[] = await tx.query(
        `SELECT id, version FROM programme_items
          WHERE programme_id = $1 AND status = 'scheduled' AND confirmed_count + waitlist_count > 0 ORDER BY id`,
        [id],
      );
      await appendOutbox(
        tx,
        held.map((item) => ({
          kind: 'programme_unpublished' as const,
          itemId: item.id,
          itemVersion: item.version,
          payload: { programmeId: id, programmeTitle: locked.title },
        })),
      );
      return saved;
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
}
