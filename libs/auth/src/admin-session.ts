import { createHmac, timingSafeEqual } from 'node:crypto';

/** The cookie that opens /admin/queues in a browser: HTTP-only, signed, short-lived. */
export const ADMIN_SESSION_COOKIE = 'pavilion_admin';
export const ADMIN_SESSION_MINUTES = 30;

const PURPOSE = 'admin-session';
const mac = (userId: string, expires: number, secret: string) =>
  createHmac('sha256', secret).update(`${PURPOSE}:${userId}:${expires}`).digest('base64url');

/**
 * `<userId>.<expiry, unix milliseconds>.<HMAC>`; it names the person, whose role is checked again on every use,
 * and (by its expiry) when it was issued, so a later password change revokes it.
 */
export function adminSessionValue(userId: string, secret: string, now = new Date()): string {
  const expires = now.getTime() + ADMIN_SESSION_MINUTES * 60_000;
  return `${userId}.${expires}.${mac(userId, expires, secret)}`;
}

/** Whom an admin session cookie was made for and when, or null when forged, altered or expired. */
export function verifyAdminSession(
  value: string,
  secret: string,
  now = new Date(),
): { userId: string; issuedAt: Date } | null {
  const match = /^([0-9a-f-]{36})\.(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return null;
  const [, userId, expiresText, given] = match;
  const expires = Number(expiresText);
  if (!timingSafeEqual(Buffer.from(given), Buffer.from(mac(userId, expires, secret)))) return null;
  if (expires <= now.getTime()) return null;
  return { userId, issuedAt: new Date(expires - ADMIN_SESSION_MINUTES * 60_000) };
}

/** One cookie's value from a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
