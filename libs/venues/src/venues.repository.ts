import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { definedOnly } from '@pavilion/core';
import { PgSqlState, violates } from '@pavilion/database';
import { OpeningHours, Pavilion, Space, SpaceInVenue, Venue } from './venue.entities';

/**
 * Run by a change to places inside its transaction, once the spaces it touches are locked (a booking's trigger
 * takes them in share mode, so none slips in between): it throws to refuse the change. The programmes lib
 * supplies it, since it knows what items stand where.
 */
export type UsageCheck = (tx: EntityManager, spaceIds: string[]) => Promise<void>;

/** Which spaces a change reaches: one space, a pavilion's, or a whole venue's. */
export type PlaceScope = { spaceId: string } | { pavilionId: string } | { venueId: string };

export type OpeningHoursRow = Omit<OpeningHours, 'id' | 'pavilionId'>;

/** The venues lib's only door to PostgreSQL. */
@Injectable()
export class VenuesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  createVenue(venue: Omit<Venue, 'id' | 'createdAt' | 'archivedAt'>): Promise<Venue> {
    return this.db.getRepository(Venue).save(this.db.getRepository(Venue).create(venue));
  }

  listVenues(limit: number, after?: { name: string; id: string }): Promise<Venue[]> {
    const qb = this.db
      .getRepository(Venue)
      .createQueryBuilder('v')
      .orderBy('v.name')
      .addOrderBy('v.id')
      .limit(limit);
    qb.where('v.archived_at IS NULL');
    if (after) qb.andWhere('(v.name, v.id) > (:name, :id)', after);
    return qb.getMany();
  }

  findVenue(id: string): Promise<Venue | null> {
    return this.db.getRepository(Venue).findOneBy({ id });
  }

  findPavilion(id: string): Promise<Pavilion | null> {
    return this.db.getRepository(Pavilion).findOneBy({ id });
  }

  openingHours(pavilionId: string): Promise<OpeningHours[]> {
    return this.db.getRepository(OpeningHours).find({
      where: { pavilionId },
      order: { onDate: 'ASC', weekday: 'ASC', opensMinute: 'ASC' },
    });
  }

  /** Writes the pavilion and all its opening hours in one transaction. */
  createPavilion(
    pavilion: Omit<Pavilion, 'id' | 'createdAt' | 'archivedAt'>,
    hours: Omit<OpeningHours, 'id' | 'pavilionId'>[],
  ): Promise<{ pavilion: Pavilion; hours: OpeningHours[] }> {
    return this.db.transaction(async (tx) => {
      const saved = await tx.getRepository(Pavilion).save(tx.getRepository(Pavilion).create(pavilion));
      const rows = await tx
        .getRepository(OpeningHours)
        .save(hours.map((h) => tx.getRepository(OpeningHours).create({ ...h, pavilionId: saved.id })));
      return { pavilion: saved, hours: rows };
    });
  }

  createSpace(space: Omit<Space, 'id' | 'createdAt' | 'archivedAt'>): Promise<Space> {
    return this.db.getRepository(Space).save(this.db.getRepository(Space).create(space));
  }

  listSpaces(pavilionId: string): Promise<Space[]> {
    return this.db
      .getRepository(Space)
      .find({ where: { pavilionId, archivedAt: IsNull() }, order: { name: 'ASC' } });
  }

  async findSpaceInVenue(spaceId: string): Promise<SpaceInVenue | null> {
    const space = await this.db.getRepository(Space).findOneBy({ id: spaceId });
    if (!space) return null;
    const pavilion = await this.db.getRepository(Pavilion).findOneByOrFail({ id: space.pavilionId });
    const venue = await this.db.getRepository(Venue).findOneByOrFail({ id: pavilion.venueId });
    return { space, pavilion, venue };
  }

  /**
   * Changes a venue's fields; a change of timezone first passes `check` over all its spaces. The database moves
   * its programmes' fingerprints (`venues_revision`, `bump_programmes_of_pavilion`) and records a new name, city
   * or timezone in their changelogs (`venues_changelog`, `record_place_change`).
   */
  updateVenue(id: string, change: Partial<Venue>, check?: UsageCheck): Promise<Venue | null> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(Venue);
      const locked = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!locked || locked.archivedAt) return null;
      if (check) await check(tx, await lockSpaces(tx, { venueId: id }));
      if (Object.keys(definedOnly(change)).length) await repo.update({ id }, definedOnly(change));
      return repo.findOneByOrFail({ id });
    });
  }

  /**
   * Renames a pavilion and/or replaces its opening hours; `check` sees the new hours in place (same
   * transaction) with the pavilion's spaces locked, and refuses or displaces what no longer fits. The database
   * moves its programmes' fingerprints (`pavilions_revision`) and records a new name (`pavilions_changelog`).
   */
  updatePavilion(
    id: string,
    change: { name?: string; hours?: OpeningHoursRow[] },
    check?: UsageCheck,
  ): Promise<Pavilion | null> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(Pavilion);
      const locked = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!locked || locked.archivedAt) return null;
      const spaceIds = await lockSpaces(tx, { pavilionId: id });
      if (change.name !== undefined) await repo.update({ id }, { name: change.name });
      if (change.hours) {
        await tx.getRepository(OpeningHours).delete({ pavilionId: id });
        await tx
          .getRepository(OpeningHours)
          .save(change.hours.map((h) => tx.getRepository(OpeningHours).create({ ...h, pavilionId: id })));
      }
      if (check) await check(tx, spaceIds);
      return repo.findOneByOrFail({ id });
    });
  }

  /**
   * Changes a space under its row lock, after `check` (e.g. no future item needs more seats) passes; a booking
   * meanwhile waits on that lock in `programme_items_fit_their_space`. The database moves the fingerprints of
   * the programmes there (`spaces_revision`) and records a new name in their items' changelog (`spaces_changelog`).
   */
  updateSpace(id: string, change: Partial<Space>, check: UsageCheck): Promise<Space | null> {
    return this.db.transaction(async (tx) => {
      const spaceIds = await lockSpaces(tx, { spaceId: id });
      if (spaceIds.length === 0) return null;
      await check(tx, spaceIds);
      if (Object.keys(definedOnly(change)).length)
        await tx.getRepository(Space).update({ id }, definedOnly(change));
      return tx.getRepository(Space).findOneByOrFail({ id });
    });
  }

  /**
   * Deletes a space, a pavilion or a venue with everything under it, after `check` passes on the locked spaces.
   * Rows that history still refers to (past items, programmes) are archived instead. False when not found.
   */
  remove(scope: PlaceScope, check: UsageCheck): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [table, id] =
        'spaceId' in scope
          ? ['spaces', scope.spaceId]
          : 'pavilionId' in scope
            ? ['pavilions', scope.pavilionId]
            : ['venues', scope.venueId];
      const found = await tx.query(
        `SELECT 1 FROM ${table} WHERE id = $1 AND archived_at IS NULL FOR UPDATE`,
        [id],
      );
      if (found.length === 0) return false;
      const spaceIds = await lockSpaces(tx, scope);
      await check(tx, spaceIds);
      const pavilionIds: string[] =
        'spaceId' in scope
          ? []
          : 'pavilionId' in scope
            ? [scope.pavilionId]
            : (await tx.query('SELECT id FROM pavilions WHERE venue_id = $1', [scope.venueId])).map(
                (r: { id: string }) => r.id,
              );
      const venueIds = 'venueId' in scope ? [scope.venueId] : [];
      await tx.query('SAVEPOINT place_delete');
      try {
        await tx.query('DELETE FROM spaces WHERE id = ANY($1::uuid[])', [spaceIds]);
        await tx.query('DELETE FROM pavilions WHERE id = ANY($1::uuid[])', [pavilionIds]);
        await tx.query('DELETE FROM venues WHERE id = ANY($1::uuid[])', [venueIds]);
        await tx.query('RELEASE SAVEPOINT place_delete');
      } catch (error) {
        if (!violates(error, PgSqlState.ForeignKeyViolation)) throw error;
        await tx.query('ROLLBACK TO SAVEPOINT place_delete');
        for (const [t, ids] of [
          ['spaces', spaceIds],
          ['pavilions', pavilionIds],
          ['venues', venueIds],
        ] as const)
          await tx.query(
            `UPDATE ${t} SET archived_at = now() WHERE id = ANY($1::uuid[]) AND archived_at IS NULL`,
            [ids],
          );
      }
      return true;
    });
  }
}

/** Locks the live spaces a change reaches (in id order, so two changes never deadlock) and returns their ids. */
async function lockSpaces(tx: EntityManager, scope: PlaceScope): Promise<string[]> {
  const where =
    'spaceId' in scope
      ? 's.id = $1'
      : 'pavilionId' in scope
        ? 's.pavilion_id = $1'
        : 's.pavilion_id IN (SELECT id FROM pavilions WHERE venue_id = $1)';
  const id = 'spaceId' in scope ? scope.spaceId : 'pavilionId' in scope ? scope.pavilionId : scope.venueId;
  const rows: { id: string }[] = await tx.query(
    `SELECT s.id FROM spaces s WHERE ${where} AND s.archived_at IS NULL ORDER BY s.id FOR UPDATE`,
    [id],
  );
  return rows.map((r) => r.id);
}
