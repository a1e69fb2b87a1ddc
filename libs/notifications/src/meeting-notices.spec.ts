import { MeetingFacts } from './meeting-notices.repository';
import { effectiveOffsets, MeetingNotice, MeetingNoticeFacts, meetingStaleReason } from './meeting-notices';
import { ItemFacts, UserFacts } from './notice-facts';

const START = new Date('2031-06-02T10:20:00Z');
const item = {
  status: 'scheduled',
  programmeStatus: 'published',
  reminderOffsets: [1440, 60],
} as unknown as ItemFacts;
const user = (prefs: UserFacts['notificationPreferences'] = {}) =>
  ({ id: 'u1', notificationPreferences: prefs }) as UserFacts;
const meeting = (overrides: Partial<MeetingFacts> = {}): MeetingFacts => ({
  id: 'm1',
  itemId: 'i1',
  status: 'scheduled',
  version: 2,
  startsAt: START,
  endsAt: new Date(START.getTime() + 20 * 60_000),
  table: 3,
  cancelReason: null,
  parties: [
    { userId: 'u1', name: 'A', company: 'Alpha' },
    { userId: 'u2', name: 'B', company: 'Beta' },
  ],
  ...overrides,
});
const notice = (kind: string, offset = 0, version = 2) =>
  ({
    kind,
    offsetMinutes: offset,
    payload: { meetingId: 'm1', meetingVersion: version },
  }) as unknown as MeetingNotice;
const facts = (m: MeetingFacts | null): MeetingNoticeFacts => ({ meeting: m, request: null });
const before = START.getTime() - 3600_000;

describe('meeting notices at send time', () => {
  it('sends a reminder of the meeting version it was written for, at an offset still wanted', () => {
    expect(
      meetingStaleReason('in_app', notice('meeting_reminder', 60), item, user(), facts(meeting()), before),
    ).toBeNull();
  });

  it('never sends a reminder for a cancelled or moved meeting, or once it has started', () => {
    const stale = (m: MeetingFacts, now = before, n = notice('meeting_reminder', 60)) =>
      meetingStaleReason('in_app', n, item, user(), facts(m), now);
    expect(stale(meeting({ status: 'cancelled' }))).toBe('meeting cancelled');
    expect(stale(meeting({ version: 3 }))).toBe('meeting changed since');
    expect(stale(meeting(), START.getTime())).toBe('meeting has started');
    expect(
      meetingStaleReason(
        'in_app',
        notice('meeting_reminder', 60),
        { ...item, status: 'cancelled' },
        user(),
        facts(meeting()),
        before,
      ),
    ).toBe('session cancelled');
  });

  it('follows the person: reminders or email turned off, or other offsets chosen since', () => {
    const n = notice('meeting_reminder', 60);
    expect(meetingStaleReason('in_app', n, item, user({ reminders: false }), facts(meeting()), before)).toBe(
      'reminders turned off',
    );
    expect(meetingStaleReason('email', n, item, user({ email: false }), facts(meeting()), before)).toBe(
      'email turned off',
    );
    expect(
      meetingStaleReason('in_app', n, item, user({ reminderOffsetsMinutes: [15] }), facts(meeting()), before),
    ).toBe('reminder offset no longer wanted');
    expect(effectiveOffsets({ reminderOffsetsMinutes: [] }, [60])).toEqual([60]);
  });

  it('always tells a cancellation, even of a cancelled session', () => {
    expect(
      meetingStaleReason(
        'email',
        notice('meeting_cancelled'),
        { ...item, status: 'cancelled' },
        user(),
        facts(meeting({ status: 'cancelled' })),
        before,
      ),
    ).toBeNull();
  });
});
