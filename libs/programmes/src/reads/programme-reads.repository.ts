import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ItemStatus, ItemType, PlacementConstraints, Programme, ProgrammeItem } from '../programme.entities';
import { PublicFreshness } from './public-freshness';

/** A programme with where it happens and the fingerprint of everything its pages and exports show. */
export interface ProgrammeHeader {
  programme: Programme;
  timezone: string;
  pavilionName: string;
  venueName: string;
  city: string;
  /** Moves on every committed write to the programme, its items, seat counts, speakers, spaces or venue. */
  fingerprint: string;
}

export interface ItemSpaceRow {
  id: string;
  pavilionId: string;
  name: string;
  capacity: number;
  kind: string;
  tables: number | null;
}

export interface ItemSpeakerRow {
  id: string;
  /** Stable positive integer (frab `persons[].id`). */
  publicNumber: number;
  name: string;
  affiliation: string | null;
}

/** An item with its space and speakers, read in the same query. */
export interface ItemRow {
  item: ProgrammeItem;
  publicNumber: number;
  space: ItemSpaceRow | null;
  speakers: ItemSpeakerRow[];
}

export interface ItemRowFilter {
  /** Required unless itemIds are given. */
  programmeId?: string;
  from?: Date;
  to?: Date;
  type?: ItemType;
  spaceId?: string;
  language?: string;
  q?: string;
  /** Cancelled items too (default; pages show them struck through, exports leave them out). */
  withCancelled?: boolean;
  /** Unplaced items too (owners' reads by id). */
  withUnplaced?: boolean;
  after?: { startsAt: string; id: string };
  itemIds?: string[];
  limit?: number;
}

// Named SQL of the public read path: a programme day costs these two statements, whatever its size.
const SQL = {
  header: `
    SELECT p.*, p.starts_on::text AS starts_on_text, p.ends_on::text AS ends_on_text,
           pp.timezone, pp.pavilion_name, pp.venue_name, pp.city,
           p.revision::text || '.' || COALESCE(agg.total, 0)::text || '.' || COALESCE(agg.n, 0)::text AS fingerprint
      FROM programmes p
      JOIN pavilion_places pp ON pp.pavilion_id = p.pavilion_id
      LEFT JOIN LATERAL (SELECT sum(i.revision) AS total, count(*) AS n
                           FROM programme_items i WHERE i.programme_id = p.id) agg ON true
     WHERE p.id = $1`,
  items: `
    SELECT i.*,
           CASE WHEN sp.space_id IS NULL THEN NULL ELSE json_build_object(
             'id', sp.space_id, 'pavilionId', sp.pavilion_id, 'name', sp.space_name, 'capacity', sp.capacity,
             'kind', sp.kind, 'tables', sp.tables) END AS space_json,
           COALESCE((SELECT json_agg(json_build_object('id', s.id, 'publicNumber', s.public_number, 'name', s.name,
                                                       'affiliation', s.affiliation)
                                     ORDER BY isp.position, s.name)
                       FROM item_speakers isp JOIN speakers s ON s.id = isp.speaker_id
                      WHERE isp.item_id = i.id), '[]'::json) AS speakers_json
      FROM programme_items i
      LEFT JOIN space_places sp ON sp.space_id = i.space_id
     WHERE ($1::uuid IS NULL OR i.programme_id = $1) AND ($13::boolean OR i.status <> 'unplaced')
       AND ($2::boolean OR i.status = 'scheduled')
       AND ($3::timestamptz IS NULL OR (i.starts_at >= $3 AND i.starts_at < $4))
       AND ($5::text IS NULL OR i.type = $5)
       AND ($6::uuid IS NULL OR i.space_id = $6)
       AND ($7::text IS NULL OR $7 = ANY (i.languages))
       AND ($8::text IS NULL OR i.title ILIKE $8 OR i.description ILIKE $8)
       AND ($9::timestamptz IS NULL OR (COALESCE(i.starts_at, 'infinity'), i.id) > ($9, $10::uuid))
       AND ($11::uuid[] IS NULL OR i.id = ANY ($11))
     ORDER BY COALESCE(i.starts_at, 'infinity'), i.id
     LIMIT $12`,
  programmesFingerprint: `SELECT COALESCE(sum(revision), 0)::text || '.' || count(*)::text AS fingerprint FROM programmes`,
  publishedProgrammes: `
    SELECT p.id FROM programmes p
     WHERE p.status = 'published'
     ORDER BY (p.ends_on < $1::date), CASE WHEN p.ends_on < $1::date THEN NULL ELSE p.starts_on END,
              p.starts_on DESC, p.title
     LIMIT $2`,
};

/** The programmes lib's door for public reads: named statements, rows checked here, camelCase beyond. */
@Injectable()
export class ProgrammeReadsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly freshness: PublicFreshness,
  ) {}

  /**
   * The programme with its place and fingerprint: the programme's and its items' `revision`, which the database
   * bumps on every write that a page shows — `programmes_revision` and `programme_items_revision`
   * (`bump_revision`), `item_speakers_revision` (`bump_programmes_of_item`), `speakers_revision`
   * (`bump_programmes_of_speaker`), and `spaces_revision`, `pavilions_revision`, `venues_revision`
   * (`bump_programmes_of_pavilion`).
   */
  async header(programmeId: string): Promise<ProgrammeHeader | null> {
    const [row] = await this.db.query<HeaderRecord[]>(SQL.header, [programmeId]);
    return row ? toHeader(row) : null;
  }

  /**
   * The header as kept in memory until anything it depends on may have changed (see PublicFreshness): the read
   * path's revalidations cost no statement. The object is shared: callers must not change it.
   */
  keptHeader(programmeId: string): Promise<ProgrammeHeader | null> {
    return this.freshness.get(`header:${programmeId}`, () => this.header(programmeId));
  }

  /** Moves whenever any programme is created, edited, published or unpublished; kept like keptHeader. */
  programmesFingerprint(): Promise<string> {
    return this.freshness.get('programmes', async () => {
      const [row] = await this.db.query<{ fingerprint: string }[]>(SQL.programmesFingerprint);
      return row.fingerprint;
    });
  }

  /** Published programmes, those not yet over first (by start), then past ones (latest first). */
  async publishedProgrammes(today: string, limit: number): Promise<ProgrammeHeader[]> {
    const ids = await this.db.query<{ id: string }[]>(SQL.publishedProgrammes, [today, limit]);
    if (ids.length === 0) return [];
    const rows = await this.db.query<HeaderRecord[]>(
      SQL.header.replace('WHERE p.id = $1', 'WHERE p.id = ANY ($1::uuid[])'),
      [ids.map((r) => r.id)],
    );
    const byId = new Map(rows.map((r) => [r.id, toHeader(r)]));
    return ids.flatMap((r) => byId.get(r.id) ?? []);
  }

  async items(f: ItemRowFilter): Promise<ItemRow[]> {
    if (!f.programmeId && !f.itemIds) throw new Error('items() needs a programme or item ids');
    const rows = await this.db.query<ItemRecord[]>(SQL.items, [
      f.programmeId ?? null,
      f.withCancelled ?? true,
      f.from ?? null,
      f.to ?? null,
      f.type ?? null,
      f.spaceId ?? null,
      f.language ?? null,
      f.q ? likePattern(f.q) : null,
      f.after?.startsAt ?? null,
      f.after?.id ?? null,
      f.itemIds ?? null,
      f.limit ?? null,
      f.withUnplaced ?? false,
    ]);
    return rows.map(toItemRow);
  }
}

function toHeader(row: HeaderRecord): ProgrammeHeader {
  return {
    programme: {
      id: row.id,
      organizationId: row.organization_id,
      pavilionId: row.pavilion_id,
      title: row.title,
      description: row.description,
      startsOn: row.starts_on_text,
      endsOn: row.ends_on_text,
      languages: row.languages,
      reminderOffsetsMinutes: row.reminder_offsets_minutes,
      status: row.status,
      publishedAt: row.published_at,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    },
    timezone: row.timezone,
    pavilionName: row.pavilion_name,
    venueName: row.venue_name,
    city: row.city,
    fingerprint: row.fingerprint,
  };
}

interface HeaderRecord {
  id: string;
  organization_id: string;
  pavilion_id: string;
  title: string;
  description: string | null;
  starts_on_text: string;
  ends_on_text: string;
  languages: string[];
  reminder_offsets_minutes: number[];
  status: Programme['status'];
  published_at: Date | null;
  created_at: Date;
  updated_at: Date;
  timezone: string;
  pavilion_name: string;
  venue_name: string;
  city: string;
  fingerprint: string;
}

interface ItemRecord {
  id: string;
  programme_id: string;
  space_id: string | null;
  type: ItemType;
  title: string;
  description: string | null;
  starts_at: Date | null;
  ends_at: Date | null;
  capacity: number;
  capacity_from_space: boolean;
  duration_minutes: number | null;
  placement: PlacementConstraints;
  languages: string[];
  registration_required: boolean;
  registration_opens_at: Date | null;
  registration_closes_at: Date | null;
  status: ItemStatus;
  cancel_reason: string | null;
  cancelled_at: Date | null;
  version: number;
  meeting_minutes: number | null;
  requests_per_participant: number;
  requests_close_at: Date | null;
  displaced_by: ProgrammeItem['displacedBy'];
  confirmed_count: number;
  waitlist_count: number;
  created_at: Date;
  updated_at: Date;
  public_number: string;
  space_json: ItemSpaceRow | null;
  speakers_json: ItemSpeakerRow[];
}

function toItemRow(r: ItemRecord): ItemRow {
  const item: ProgrammeItem = {
    id: r.id,
    programmeId: r.programme_id,
    spaceId: r.space_id,
    type: r.type,
    title: r.title,
    description: r.description,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    capacity: r.capacity,
    capacityFromSpace: r.capacity_from_space,
    durationMinutes: r.duration_minutes,
    placement: r.placement,
    languages: r.languages,
    registrationRequired: r.registration_required,
    registrationOpensAt: r.registration_opens_at,
    registrationClosesAt: r.registration_closes_at,
    status: r.status,
    cancelReason: r.cancel_reason,
    cancelledAt: r.cancelled_at,
    version: r.version,
    meetingMinutes: r.meeting_minutes,
    requestsPerParticipant: r.requests_per_participant,
    requestsCloseAt: r.requests_close_at,
    displacedBy: r.displaced_by,
    confirmedCount: r.confirmed_count,
    waitlistCount: r.waitlist_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  return { item, publicNumber: Number(r.public_number), space: r.space_json, speakers: r.speakers_json };
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
