import { QueryFailedError } from 'typeorm';

interface PgDriverError {
  code?: string;
  constraint?: string;
  detail?: string;
}

function driverError(error: unknown): PgDriverError | null {
  if (!(error instanceof QueryFailedError)) return null;
  return error.driverError as PgDriverError;
}

/** True when PostgreSQL refused the write for `constraint` with SQLSTATE `code` (any constraint if omitted). */
export function violates(error: unknown, code: PgSqlState, constraint?: string): boolean {
  const e = driverError(error);
  return !!e && e.code === code && (constraint === undefined || e.constraint === constraint);
}

/** The DETAIL PostgreSQL gave with a refusal (a trigger may put JSON there), or null. */
export function violationDetail(error: unknown): string | null {
  return driverError(error)?.detail ?? null;
}

export enum PgSqlState {
  UniqueViolation = '23505',
  ForeignKeyViolation = '23503',
  CheckViolation = '23514',
  ExclusionViolation = '23P01',
  SerializationFailure = '40001',
  DeadlockDetected = '40P01',
}

/** Rows of an `UPDATE/DELETE … RETURNING` run through TypeORM's `query`, which wraps them as [rows, rowCount]. */
export function returnedRows<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

// SQLSTATE class 08 (connection exception) and the server going away: 57P01 admin_shutdown, 57P02
// crash_shutdown, 57P03 cannot_connect_now (starting up or shutting down).
const UNAVAILABLE_STATES = /^(08...|57P0[123])$/;
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|MaxRetriesPerRequest|enableOfflineQueue|Reached the max retries per request/i;

/**
 * True when an error says PostgreSQL or Redis cannot be reached (refused, reset, timed out, shutting down),
 * as opposed to a refusal of the request itself: the API answers such errors 503, never 500.
 */
export function isServiceUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as {
      code?: unknown;
      message?: unknown;
      name?: unknown;
      driverError?: unknown;
      cause?: unknown;
    };
    if (typeof e.code === 'string' && (UNAVAILABLE_STATES.test(e.code) || UNAVAILABLE_CODES.has(e.code))) {
      return true;
    }
    if (e.name === 'MaxRetriesPerRequestError') return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
    current = e.driverError ?? e.cause;
  }
  return false;
}
