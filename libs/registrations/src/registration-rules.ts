import { randomInt } from 'node:crypto';
import { DomainError, ErrorCode } from '@pavilion/core';

export type RegistrationStatus = 'confirmed' | 'waitlisted' | 'cancelled';

/** What a claim needs to know of the item, read under its row lock. */
export interface ClaimableItem {
  organizationId: string;
  status: 'scheduled' | 'cancelled' | 'unplaced';
  programmeStatus: 'draft' | 'published';
  registrationRequired: boolean;
  registrationOpensAt: Date | null;
  registrationClosesAt: Date | null;
  startsAt: Date;
}

/** Why nobody can register for this item now, or null when registration is open. */
export function registrationRefusal(item: ClaimableItem, now: Date): DomainError | null {
  if (item.programmeStatus !== 'published') {
    return new DomainError(ErrorCode.RegistrationClosed, 'The programme is not published yet');
  }
  if (item.status === 'cancelled')
    return new DomainError(ErrorCode.RegistrationClosed, 'The item is cancelled');
  if (item.status === 'unplaced')
    return new DomainError(ErrorCode.RegistrationClosed, 'The item has no place or time yet');
  if (!item.registrationRequired) {
    return new DomainError(
      ErrorCode.RegistrationClosed,
      'This item is drop-in: it takes no registrations, just come',
    );
  }
  if (item.registrationOpensAt && now < item.registrationOpensAt) {
    return new DomainError(
      ErrorCode.RegistrationClosed,
      `Registration opens at ${item.registrationOpensAt.toISOString()}`,
    );
  }
  const closes = item.registrationClosesAt ?? item.startsAt;
  if (now >= closes)
    return new DomainError(ErrorCode.RegistrationClosed, 'Registration for this item is closed');
  return null;
}

// Crockford's base32 without I, L, O, U: codes read aloud or typed from a badge without confusion.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A short per-registration check-in code (40 bits), also the payload of its QR code. */
export function newCheckInCode(): string {
  return Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

export interface ClaimPlan {
  status: 'confirmed' | 'waitlisted';
  waitlistPosition?: number;
}

/** Seats go in arrival order while they last; everyone after joins the waitlist behind those already on it. */
export function planClaims(count: number, seatsFree: number, waitlistCount: number): ClaimPlan[] {
  const confirmed = waitlistCount > 0 ? 0 : Math.max(Math.min(seatsFree, count), 0);
  return Array.from({ length: count }, (_, i) =>
    i < confirmed
      ? { status: 'confirmed' }
      : { status: 'waitlisted', waitlistPosition: waitlistCount + (i - confirmed) + 1 },
  );
}
