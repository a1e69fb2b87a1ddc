import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

export interface Attendee {
  id: string;
  email: string;
  token: string;
}

/**
 * A crowd of attendees written straight into `users`, each with an access token as the API issues them (HS256,
 * sub = user id): for tests about what comes after signing up, without hashing a password per person (argon2id
 * takes about 0.3 s of CPU a person here).
 */
export async function attendeesInDatabase(db: Client, count: number): Promise<Attendee[]> {
  const batch = randomUUID().slice(0, 8);
  const { rows } = await db.query<{ id: string; email: string }>(
    `INSERT INTO users (email, password_hash, display_name, calendar_feed_token)
     SELECT 'crowd-' || $2 || '-' || g || '@e2e.test', 'unused', 'Guest ' || g, md5(random()::text) || g
       FROM generate_series(1, $1::int) g
     RETURNING id, email`,
    [count, batch],
  );
  const jwt = new JwtService();
  const secret = process.env.JWT_SECRET as string;
  return rows.map((r) => ({
    ...r,
    token: jwt.sign({ sub: r.id }, { secret, algorithm: 'HS256', expiresIn: 600 }),
  }));
}
