import {
  reminderUnsubscribeToken,
  UNSUBSCRIBE_TTL_DAYS,
  verifyReminderUnsubscribeToken,
} from './unsubscribe';

describe('reminder unsubscribe tokens', () => {
  const secret = 'a-secret-that-is-long-enough-for-tests';
  const userId = '6f1c2a9e-0d3b-4c8e-9a55-3f0e2b7d1c44';
  const issued = new Date('2026-01-01T00:00:00Z');
  const token = reminderUnsubscribeToken(userId, secret, issued);

  it('opens only for the exact token, with this secret, before it expires', () => {
    expect(verifyReminderUnsubscribeToken(token, secret, issued)).toBe(userId);
    expect(verifyReminderUnsubscribeToken(`${token}.anything`, secret, issued)).toBeNull();
    expect(verifyReminderUnsubscribeToken(`${token}x`, secret, issued)).toBeNull();
    expect(verifyReminderUnsubscribeToken(` ${token}`, secret, issued)).toBeNull();
    expect(verifyReminderUnsubscribeToken(token, 'another-secret-of-enough-length', issued)).toBeNull();
    const later = new Date(issued.getTime() + (UNSUBSCRIBE_TTL_DAYS * 24 + 1) * 3600 * 1000);
    expect(verifyReminderUnsubscribeToken(token, secret, later)).toBeNull();
  });

  it('cannot be stretched by changing the expiry', () => {
    const [id, expires, signature] = token.split('.');
    expect(
      verifyReminderUnsubscribeToken(`${id}.${Number(expires) + 86400}.${signature}`, secret, issued),
    ).toBeNull();
  });
});
