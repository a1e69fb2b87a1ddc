import { createHmac, timingSafeEqual } from 'node:crypto';

const PURPOSE = 'unsubscribe-reminders';
/** How long a link in a reminder email keeps working. */
export const UNSUBSCRIBE_TTL_DAYS = 90;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const mac = (userId: string, expires: number, secret: string) =>
  createHmac('sha256', secret).update(`${PURPOSE}:${userId}:${expires}`).digest('base64url');

/**
 * A link token that turns one person's reminders off without signing in (RFC 8058 one-click):
 * `<userId>.<expiry, unix seconds>.<HMAC of both>`.
 */
export function reminderUnsubscribeToken(userId: string, secret: string, now = new Date()): string {
  const expires = Math.floor(now.getTime() / 1000) + UNSUBSCRIBE_TTL_DAYS * 24 * 3600;
  return `${userId}.${expires}.${mac(userId, expires, secret)}`;
}

/**
 * The user id the token was made for, or null when it was not made with this secret, has expired, or is not
 * exactly such a token (nothing before, after or between its three parts).
 */
export function verifyReminderUnsubscribeToken(
  token: string,
  secret: string,
  now = new Date(),
): string | null {
  const match = /^([0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match || !UUID.test(match[1])) return null;
  const [, userId, expiresText, given] = match;
  const expires = Number(expiresText);
  const expected = Buffer.from(mac(userId, expires, secret));
  if (!timingSafeEqual(Buffer.from(given), expected)) return null;
  return expires * 1000 > now.getTime() ? userId : null;
}
