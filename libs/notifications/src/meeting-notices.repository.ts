import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { USER_FACTS_COLUMNS, UserFacts } from './notice-facts';

/** One party of a meeting or a request as a notice names them. */
export interface NoticeParty {
  userId: string;
  name: string;
  company: string;
}

/** A meeting as its notices need it, read through the meetings lib's view. */
export interface MeetingFacts {
  id: string;
  itemId: string;
  status: 'scheduled' | 'cancelled';
  version: number;
  startsAt: Date;
  endsAt: Date;
  table: number;
  cancelReason: string | null;
  parties: [NoticeParty, NoticeParty];
}

/** A meeting request as its notices need it. */
export interface RequestFacts {
  id: string;
  itemId: string;
  status: 'pending' | 'accepted' | 'declined' | 'withdrawn';
  message: string | null;
  from: NoticeParty;
  to: NoticeParty;
}

interface MeetingRow {
  id: string;
  item_id: string;
  status: MeetingFacts['status'];
  version: number;
  starts_at: Date;
  ends_at: Date;
  table_number: number;
  cancel_reason: string | null;
  user_a: string;
  name_a: string;
  company_a: string;
  user_b: string;
  name_b: string;
  company_b: string;
}

interface RequestRow {
  id: string;
  item_id: string;
  status: RequestFacts['status'];
  message: string | null;
  from_user: string;
  from_name: string;
  from_company: string;
  to_user: string;
  to_name: string;
  to_company: string;
}

/** The notifications lib's reads of meetings and requests (the views of migration MeetingNotices), and of their people. */
@Injectable()
export class MeetingNoticesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  meetings(ids: string[]): Promise<Map<string, MeetingFacts>> {
    return this.byId<MeetingRow, MeetingFacts>(
      `SELECT id, item_id, status, version, starts_at, ends_at, table_number, cancel_reason,
              user_a, name_a, company_a, user_b, name_b, company_b
         FROM b2b_meeting_notice_facts WHERE id = ANY($1::uuid[])`,
      ids,
      (r) => ({
        id: r.id,
        itemId: r.item_id,
        status: r.status,
        version: r.version,
        startsAt: r.starts_at,
        endsAt: r.ends_at,
        table: r.table_number,
        cancelReason: r.cancel_reason,
        parties: [
          { userId: r.user_a, name: r.name_a, company: r.company_a },
          { userId: r.user_b, name: r.name_b, company: r.company_b },
        ],
      }),
    );
  }

  /** The people a publication tells, in one read. */
  users(ids: string[]): Promise<Map<string, UserFacts>> {
    return this.byId<UserFacts, UserFacts>(
      `SELECT ${USER_FACTS_COLUMNS} FROM person_facts u WHERE u.id = ANY($1::uuid[])`,
      ids,
      (u) => u,
    );
  }

  requests(ids: string[]): Promise<Map<string, RequestFacts>> {
    return this.byId<RequestRow, RequestFacts>(
      `SELECT id, item_id, status, message, from_user, from_name, from_company, to_user, to_name, to_company
         FROM b2b_request_notice_facts WHERE id = ANY($1::uuid[])`,
      ids,
      (r) => ({
        id: r.id,
        itemId: r.item_id,
        status: r.status,
        message: r.message,
        from: { userId: r.from_user, name: r.from_name, company: r.from_company },
        to: { userId: r.to_user, name: r.to_name, company: r.to_company },
      }),
    );
  }

  /** The rows `sql` reads for the distinct `ids` ($1), mapped to camelCase and keyed by id; no read for none. */
  private async byId<Row extends { id: string }, Facts>(
    sql: string,
    ids: string[],
    toFacts: (row: Row) => Facts,
  ): Promise<Map<string, Facts>> {
    if (ids.length === 0) return new Map();
    const rows: Row[] = await this.db.query(sql, [[...new Set(ids)]]);
    return new Map(rows.map((r) => [r.id, toFacts(r)]));
  }
}
