import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@pavilion/database';

/** A connection to the repository tier's migrated database (see repository-setup.ts). */
export async function openDatabase(): Promise<DataSource> {
  const db = new DataSource(dataSourceOptions(process.env.DATABASE_URL as string));
  return db.initialize();
}

const unique = () => randomUUID().slice(0, 8);

/**
 * Rows written straight into the tables, the smallest that the schema accepts, with names of their own so tests
 * sharing the database never collide. Only what the repository under test does not write itself.
 */
export class Rows {
  constructor(private readonly db: DataSource) {}

  async person(preferences: Record<string, unknown> = {}): Promise<string> {
    const [{ id }] = await this.db.query(
      `INSERT INTO users (email, password_hash, display_name, calendar_feed_token, notification_preferences)
       VALUES ($1, 'not-a-hash', 'Repository Person', $2, $3::jsonb) RETURNING id`,
      [`person-${unique()}@repository.test`, `feed-${randomUUID()}`, JSON.stringify(preferences)],
    );
    return id;
  }

  async people(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await this.person());
    return ids;
  }

  /**
   * A published programme with one scheduled item in a hall of its own (so it never overlaps another test's),
   * starting at `startsAt`.
   */
  async item(
    options: { capacity?: number; startsAt?: Date; minutes?: number; reminderOffsets?: number[] } = {},
  ): Promise<{ itemId: string; programmeId: string }> {
    const startsAt = options.startsAt ?? new Date(Date.now() + 7 * 24 * 3600_000);
    const endsAt = new Date(startsAt.getTime() + (options.minutes ?? 60) * 60_000);
    const day = startsAt.toISOString().slice(0, 10);
    const name = `Repository ${unique()}`;
    // The place first, open around the clock: an item's insert checks its pavilion's opening hours, and an item
    // may not run past the venue's midnight. The venue's zone puts the item's start at local noon, so an item
    // starting soon fits whatever the hour the tests run at.
    const offset = 12 - startsAt.getUTCHours();
    const zone = offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const [place] = await this.db.query(
      `WITH o AS (INSERT INTO organizations (name) VALUES ($1) RETURNING id),
            v AS (INSERT INTO venues (name, city, country, timezone)
                  VALUES ($1, 'Astana', 'Kazakhstan', $4) RETURNING id),
            pv AS (INSERT INTO pavilions (venue_id, name) SELECT id, $1 FROM v RETURNING id),
            oh AS (INSERT INTO opening_hours (pavilion_id, weekday, opens_minute, closes_minute)
                   SELECT pv.id, d, 0, 1440 FROM pv, generate_series(1, 7) d),
            s AS (INSERT INTO spaces (pavilion_id, name, capacity, kind) SELECT id, $1, 1000, 'hall' FROM pv RETURNING id),
            p AS (INSERT INTO programmes (organization_id, pavilion_id, title, starts_on, ends_on, status,
                                          published_at, reminder_offsets_minutes)
                  SELECT o.id, pv.id, $1, $2::date, $2::date, 'published', now(), $3::int[] FROM o, pv RETURNING id)
       SELECT p.id AS programme_id, s.id AS space_id FROM p, s`,
      [name, day, options.reminderOffsets ?? [1440, 60], zone],
    );
    const [row] = await this.db.query(
      `INSERT INTO programme_items (programme_id, space_id, type, title, capacity, starts_at, ends_at)
       VALUES ($1, $2, 'conference', $3, $4, $5, $6)
       RETURNING id AS item_id, programme_id`,
      [place.programme_id, place.space_id, name, options.capacity ?? 10, startsAt, endsAt],
    );
    return { itemId: row.item_id, programmeId: row.programme_id };
  }

  /** The item's seat counters as the database holds them. */
  async counters(itemId: string): Promise<{ confirmed: number; waitlisted: number }> {
    const [row] = await this.db.query(
      'SELECT confirmed_count AS confirmed, waitlist_count AS waitlisted FROM programme_items WHERE id = $1',
      [itemId],
    );
    return row;
  }
}
