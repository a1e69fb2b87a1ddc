import { Injectable } from '@nestjs/common';
import {
  Actor,
  actsFor,
  decodeKeyset,
  DomainError,
  LruCache,
  Page,
  toPage,
  venueDayRange,
} from '@pavilion/core';
import { mapSpace, SpaceKind } from '@pavilion/venues';
import { ItemListQueryDto, ItemResponseDto, mapItem } from '../dto/item.dto';
import { mapSpeaker } from '../dto/speaker.dto';
import { Programme } from '../programme.entities';
import { ProgrammesService } from '../programmes.service';
import { ItemRow, ProgrammeReadsRepository } from './programme-reads.repository';

/**
 * Reading items as the API shows them: one item, a programme's list (owners see their unplaced items too; the
 * public never), items by id for other libs, and who owns an item for the access guard.
 */
@Injectable()
export class ItemReadsService {
  private readonly pages = new LruCache<ListedPage>(64);

  constructor(
    private readonly programmes: ProgrammesService,
    private readonly reads: ProgrammeReadsRepository,
  ) {}

  async get(itemId: string, actor: Actor | null): Promise<ItemResponseDto> {
    const [row] = await this.reads.items({ itemIds: [itemId], withUnplaced: true });
    if (!row) throw DomainError.notFound('Item');
    const header = await this.programmes.requireVisibleHeader(row.item.programmeId, actor);
    if (row.item.status === 'unplaced' && !actsFor(actor, header.programme.organizationId))
      throw DomainError.notFound('Item');
    return viewOfRow(row, header.timezone);
  }

  /** A programme's items in two statements (the programme, then items with spaces and speakers). */
  async list(
    programmeId: string,
    query: ItemListQueryDto,
    actor: Actor | null,
  ): Promise<Page<ItemResponseDto>> {
    return (await this.listed(programmeId, query, actor)).page;
  }

  /** The same list as the JSON bytes the API sends, serialized once per fingerprint. */
  async listJson(programmeId: string, query: ItemListQueryDto, actor: Actor | null): Promise<Buffer> {
    const listed = await this.listed(programmeId, query, actor);
    listed.json ??= Buffer.from(JSON.stringify(listed.page));
    return listed.json;
  }

  private async listed(programmeId: string, query: ItemListQueryDto, actor: Actor | null) {
    const { timezone, programme, fingerprint } = await this.programmes.requireVisibleHeader(
      programmeId,
      actor,
    );
    const withUnplaced = actsFor(actor, programme.organizationId);
    // The fingerprint moves with every committed write to what the list shows, so a kept page is never stale.
    const key = JSON.stringify([programmeId, fingerprint, withUnplaced, query]);
    const cached = this.pages.get(key);
    if (cached) return cached;
    const day = query.date ? venueDayRange(query.date, timezone) : undefined;
    const rows = await this.reads.items({
      programmeId,
      from: day?.start,
      to: day?.end,
      type: query.type,
      spaceId: query.spaceId,
      language: query.language,
      q: query.q,
      after: itemCursor(query.cursor),
      withUnplaced,
      limit: query.limit + 1,
    });
    const page = toPage(
      rows,
      query.limit,
      (r) => [r.item.startsAt ? r.item.startsAt.toISOString() : 'infinity', r.item.id],
      (r) => viewOfRow(r, timezone),
    );
    const listed: ListedPage = { page, json: null };
    this.pages.set(key, listed);
    return listed;
  }

  /** Items as the API shows them, in the order of `ids` (unknown ids are skipped). */
  async viewsByIds(ids: string[]): Promise<ItemResponseDto[]> {
    const rows = await this.reads.items({ itemIds: ids, withUnplaced: true });
    const zones = new Map<string, string>();
    for (const programmeId of new Set(rows.map((r) => r.item.programmeId)))
      zones.set(programmeId, (await this.programmes.requireHeader(programmeId)).timezone);
    const views = new Map(
      rows.map((r) => [r.item.id, viewOfRow(r, zones.get(r.item.programmeId) as string)]),
    );
    return ids.flatMap((id) => views.get(id) ?? []);
  }

  /** The item with its programme, for access checks by the API (ownership, visibility). */
  async ownerOf(itemId: string): Promise<Programme> {
    const [row] = await this.reads.items({ itemIds: [itemId], withUnplaced: true });
    if (!row) throw DomainError.notFound('Item');
    return this.programmes.requireProgramme(row.item.programmeId);
  }
}

/** One read row as the API shows it. */
export function viewOfRow(row: ItemRow, timezone: string): ItemResponseDto {
  return mapItem({
    item: row.item,
    timezone,
    space: row.space && mapSpace({ ...row.space, kind: row.space.kind as SpaceKind, createdAt: new Date(0) }),
    speakers: row.speakers.map(mapSpeaker),
  });
}

interface ListedPage {
  page: Page<ItemResponseDto>;
  json: Buffer | null;
}

/** The list's keyset cursor: (start or 'infinity' for unplaced items, id); anything else is a 400. */
function itemCursor(cursor: string | undefined) {
  const after = decodeKeyset(cursor, 'startsAt');
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (
    after &&
    ((after.startsAt !== 'infinity' && Number.isNaN(Date.parse(after.startsAt))) || !uuid.test(after.id))
  )
    throw DomainError.invalid('cursor', 'is not a cursor this API issued');
  return after;
}
