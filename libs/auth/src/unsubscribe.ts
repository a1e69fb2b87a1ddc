import { createHmac, timingSafeEqual } from 'node:crypto';

const PURPOSE = 'unsubscribe-reminders';

/** A link token that turns one person's reminders off without signing in (RFC 8058-style one-click). */
export function reminderUnsubscribeToken(userId: string, secret: string): string {
  return `${userId}.${createHmac('sha256', secret).update(`${PURPOSE}:${userId}`).digest('base64url')}`;
}

/** The user id the token was made for, or null when it was not made with this secret. */
export function verifyReminderUnsubscribeToken(token: string, secret: string): string | null {
  const [userId, mac] = token.split('.');
  if (!userId || !mac) return null;
  const expected = Buffer.from(reminderUnsubscribeToken(userId, secret).split('.')[1]);
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected) ? userId : null;
}
