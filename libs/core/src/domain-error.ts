/** Every refusal a lib can express. The API maps each code to an HTTP status in one place. */
export enum ErrorCode {
  ValidationFailed = 'validation-failed',
  InvalidWallTime = 'invalid-wall-time',
  InvalidTimeRange = 'invalid-time-range',
  OutsideProgrammeDates = 'outside-programme-dates',
  OutsideOpeningHours = 'outside-opening-hours',
  CapacityExceedsSpace = 'capacity-exceeds-space',
  NotFound = 'not-found',
  SpaceDoubleBooked = 'space-double-booked',
  SpeakerDoubleBooked = 'speaker-double-booked',
  SpaceClosed = 'space-closed',
  StateConflict = 'state-conflict',
  Duplicate = 'duplicate',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  RateLimited = 'rate-limited',
  AlreadyRegistered = 'already-registered',
  RegistrationClosed = 'registration-closed',
  RegistrationOverlap = 'registration-overlap',
  AlreadyCheckedIn = 'already-checked-in',
}

export interface FieldError {
  field: string;
  message: string;
}

/** An item (or one of a B2B session's meetings) that stands in the way of a booking or a registration. */
export interface Conflict {
  /** The item in the way; absent when a space closure is (then `closureId`). */
  itemId?: string;
  closureId?: string;
  meetingId?: string;
  title: string;
  startsAt: string;
  endsAt: string;
  reason: string;
}

export interface DomainErrorDetails {
  errors?: FieldError[];
  conflicts?: Conflict[];
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string): DomainError {
    return new DomainError(ErrorCode.NotFound, `${what} was not found`);
  }

  /** A 409 naming what stands in the way. */
  static conflicting(message: string, conflicts: Conflict[]): DomainError {
    return new DomainError(ErrorCode.StateConflict, message, { conflicts });
  }

  static invalid(field: string, message: string): DomainError {
    return new DomainError(ErrorCode.ValidationFailed, `${field} ${message}`, {
      errors: [{ field, message }],
    });
  }
}
