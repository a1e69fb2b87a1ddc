import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface ChangeRow {
  id: string;
  programmeId: string;
  itemId: string | null;
  kind: 'published' | 'programme_changed' | 'added' | 'moved' | 'cancelled' | 'removed' | 'changed';
  fields: string[];
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  recordedAt: Date;
}

const CHANGES = `
  SELECT * FROM programme_changes WHERE programme_id = $1 AND ($2::bigint IS NULL OR id < $2)
   ORDER BY id DESC LIMIT $3`;

/** The public changelog of a programme (`programme_changes`), which only the database's triggers write. */
@Injectable()
export class ProgrammeChangelogRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The programme's changelog, newest first. Only the database writes it, at commit: `record_item_change`
   * (comparing `item_public_state` with the last published state) through `record_item_change_trigger` on
   * `programme_items_changelog_insert`, `programme_items_changelog`, `item_speakers_changelog`,
   * `speakers_changelog` and `spaces_changelog`; `record_programme_change` on `programmes_changelog`; and
   * `record_place_change` on `pavilions_changelog` and `venues_changelog`.
   */
  async changes(programmeId: string, limit: number, beforeId?: string): Promise<ChangeRow[]> {
    const rows = await this.db.query<ChangeRecord[]>(CHANGES, [programmeId, beforeId ?? null, limit]);
    return rows.map((r) => ({
      id: String(r.id),
      programmeId: r.programme_id,
      itemId: r.item_id,
      kind: r.kind,
      fields: r.fields,
      before: r.before,
      after: r.after,
      recordedAt: r.recorded_at,
    }));
  }
}

interface ChangeRecord {
  id: string;
  programme_id: string;
  item_id: string | null;
  kind: ChangeRow['kind'];
  fields: string[];
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  recorded_at: Date;
}
