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
