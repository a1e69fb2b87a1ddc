import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Favourites' door to PostgreSQL: a star is a row (user, item); setting it twice changes nothing. */
@Injectable()
export class FavouritesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async add(userId: string, itemId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO favourites (user_id, item_id) VALUES ($1, $2) ON CONFLICT (user_id, item_id) DO NOTHING`,
      [userId, itemId],
    );
  }

  async remove(userId: string, itemId: string): Promise<void> {
    await this.db.query(`DELETE FROM favourites WHERE user_id = $1 AND item_id = $2`, [userId, itemId]);
  }

  async removeAllOf(userId: string): Promise<void> {
    await this.db.query(`DELETE FROM favourites WHERE user_id = $1`, [userId]);
  }

  async itemIdsOf(userId: string): Promise<string[]> {
    const rows = await this.db.query<{ item_id: string }[]>(
      `SELECT item_id FROM favourites WHERE user_id = $1 ORDER BY created_at DESC, item_id`,
      [userId],
    );
    return rows.map((r) => r.item_id);
  }

  async has(userId: string, itemId: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM favourites WHERE user_id = $1 AND item_id = $2`, [
      userId,
      itemId,
    ]);
    return rows.length > 0;
  }
}
