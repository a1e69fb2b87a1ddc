import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { returnedRows } from '@pavilion/database';
import { RegistrationStatus } from './registration-rules';

/** A registration with its person and waitlist position, as the repository hands it out. */
export interface RegistrationRow {
  id: string;
  itemId: string;
  userId: string;
  status: RegistrationStatus;
  waitlistPosition: number | null;
  checkInCode: string;
  checkedInAt: Date | null;
  createdAt: Date;
  cancelReason: string | null;
  /** createdAt in microseconds since the epoch, exact, for keyset cursors. */
  createdUs: string;
  displayName: string;
  email: string;
}

/** The columns of a RegistrationRow, from this lib's registration_audience view (`r`). */
const ROW_COLUMNS = `
  r.registration_id AS id, r.item_id AS "itemId", r.user_id AS "userId", r.status, r.check_in_code AS "checkInCode",
  r.checked_in_at AS "checkedInAt", r.created_at AS "createdAt", r.cancel_reason AS "cancelReason",
  (extract(epoch FROM r.created_at) * 1000000)::bigint::text AS "createdUs",
  r.display_name AS "displayName", r.email, r.waitlist_position AS "waitlistPosition"`;

/** The registrations' reads (an attendee's, an item's registrants) and check-in; seats are SeatClaimsRepository's. */
@Injectable()
export class RegistrationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The attendee's registrations, newest first; cancelled ones only with `includeCancelled`. */
  forUser(userId: string, includeCancelled: boolean): Promise<RegistrationRow[]> {
    return this.db.query(
      `SELECT ${ROW_COLUMNS}
         FROM registration_audience r
        WHERE r.user_id = $1 AND ($2 OR r.status <> 'cancelled')
        ORDER BY r.created_at DESC, r.registration_id`,
      [userId, includeCancelled],
    );
  }

  /** One page of an item's registrants in registration order (keyset on created_at, id). */
  forItem(
    itemId: string,
    limit: number,
    status?: RegistrationStatus,
    after?: { createdUs: string; id: string },
  ): Promise<RegistrationRow[]> {
    return this.db.query(
      `SELECT ${ROW_COLUMNS}
         FROM registration_audience r
        WHERE r.item_id = $1 AND ($2::text IS NULL OR r.status = $2)
          AND ($3::bigint IS NULL OR (r.created_at, r.registration_id) > ('epoch'::timestamptz + $3::bigint * interval '1 microsecond', $4::uuid))
        ORDER BY r.created_at, r.registration_id
        LIMIT $5`,
      [itemId, status ?? null, after?.createdUs ?? null, after?.id ?? null, limit],
    );
  }

  /** Marks a confirmed registration as checked in, once. Returns null when nothing matched the condition. */
  async checkIn(
    itemId: string,
    by: { registrationId?: string; code?: string },
  ): Promise<RegistrationRow | null> {
    const [row] = returnedRows<{ id: string }>(
      await this.db.query(
        `UPDATE registrations SET checked_in_at = now(), updated_at = now()
        WHERE item_id = $1 AND status = 'confirmed' AND checked_in_at IS NULL
          AND (id = $2::uuid OR check_in_code = $3)
        RETURNING id`,
        [itemId, by.registrationId ?? null, by.code?.toUpperCase() ?? null],
      ),
    );
    return row ? this.byId(row.id) : null;
  }

  async find(
    itemId: string,
    by: { registrationId?: string; code?: string },
  ): Promise<RegistrationRow | null> {
    const [row]: RegistrationRow[] = await this.db.query(
      `SELECT ${ROW_COLUMNS} FROM registration_audience r
        WHERE r.item_id = $1 AND (r.registration_id = $2::uuid OR r.check_in_code = $3)`,
      [itemId, by.registrationId ?? null, by.code?.toUpperCase() ?? null],
    );
    return row ?? null;
  }

  private async byId(id: string): Promise<RegistrationRow> {
    const [row]: RegistrationRow[] = await this.db.query(
      `SELECT ${ROW_COLUMNS} FROM registration_audience r WHERE r.registration_id = $1`,
      [id],
    );
    return row;
  }
}
