import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { Speaker } from './programme.entities';

/** Speakers' rows: shared across programmes, archived rather than deleted once they have spoken. */
@Injectable()
export class SpeakersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

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

  /**
   * Changes a speaker's name, affiliation or email; null when there is no such (live) speaker. A new name or
   * affiliation moves the fingerprints of their programmes (`speakers_revision`, `bump_programmes_of_speaker`);
   * a new name is recorded in their items' changelog at commit (`speakers_changelog`).
   */
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
}

/** A case-insensitive substring pattern for ILIKE, with the pattern's own characters escaped. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
