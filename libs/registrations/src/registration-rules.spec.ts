import { ErrorCode } from '@pavilion/core';
import { ClaimableItem, newCheckInCode, planClaims, registrationRefusal } from './registration-rules';

const open: ClaimableItem = {
  organizationId: 'o',
  status: 'scheduled',
  programmeStatus: 'published',
  registrationRequired: true,
  registrationOpensAt: null,
  registrationClosesAt: null,
  startsAt: new Date('2031-05-20T10:00:00Z'),
};
const now = new Date('2031-05-01T10:00:00Z');

describe('registrationRefusal', () => {
  it('lets people register for a published, scheduled item before it starts', () => {
    expect(registrationRefusal(open, now)).toBeNull();
  });

  it.each([
    ['an unpublished programme', { programmeStatus: 'draft' as const }, /not published/],
    ['a cancelled item', { status: 'cancelled' as const }, /cancelled/],
    ['a drop-in item', { registrationRequired: false }, /drop-in/],
    ['a window not yet open', { registrationOpensAt: new Date('2031-05-02T00:00:00Z') }, /opens/],
    ['a window already closed', { registrationClosesAt: new Date('2031-04-30T00:00:00Z') }, /closed/],
    ['an item that has started', { startsAt: new Date('2031-05-01T09:00:00Z') }, /closed/],
  ])('refuses %s', (_what, change, message) => {
    const refusal = registrationRefusal({ ...open, ...change }, now);
    expect(refusal?.code).toBe(ErrorCode.RegistrationClosed);
    expect(refusal?.message).toMatch(message);
  });
});

describe('planClaims', () => {
  it('confirms while seats last, then waitlists in arrival order', () => {
    expect(planClaims(4, 2, 0)).toEqual([
      { status: 'confirmed' },
      { status: 'confirmed' },
      { status: 'waitlisted', waitlistPosition: 1 },
      { status: 'waitlisted', waitlistPosition: 2 },
    ]);
  });

  it('puts newcomers behind an existing waitlist even if a seat looks free', () => {
    expect(planClaims(1, 1, 3)).toEqual([{ status: 'waitlisted', waitlistPosition: 4 }]);
  });

  it('never confirms into negative free seats', () => {
    expect(planClaims(2, -1, 0).map((p) => p.status)).toEqual(['waitlisted', 'waitlisted']);
  });
});

describe('newCheckInCode', () => {
  it('makes 8-character codes without look-alike letters', () => {
    const codes = new Set(Array.from({ length: 1000 }, newCheckInCode));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
  });
});
