import { DataSource, EntityManager } from 'typeorm';
import { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { PgSqlState } from './pg-errors';

/** Attempts a transaction gets when PostgreSQL aborts it for a deadlock or a serialization failure. */
export const TRANSACTION_ATTEMPTS = 4;

const TRANSIENT_STATES = new Set<string>([PgSqlState.DeadlockDetected, PgSqlState.SerializationFailure]);

/**
 * True when PostgreSQL aborted a statement for the way it met others (SQLSTATE 40P01 deadlock_detected, 40001
 * serialization_failure), not for what it asked: the same transaction run again can succeed.
 */
export function isTransientConflict(error: unknown): boolean {
  const code =
    (error as { driverError?: { code?: unknown } })?.driverError?.code ?? (error as { code?: unknown })?.code;
  return typeof code === 'string' && TRANSIENT_STATES.has(code);
}

/** A pause before attempt `attempt` + 1 (5–10 ms, then 10–20, 20–40), jittered so two victims part ways. */
export function transientRetryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = 5 * 2 ** (attempt - 1);
  return base + random() * base;
}

/**
 * The data source every app gets: a transaction PostgreSQL aborts for a deadlock or a serialization failure
 * is run again from its start, up to TRANSACTION_ATTEMPTS in all, as PostgreSQL's manual advises. Two
 * concurrent inserts that both break one exclusion constraint can deadlock each other; the loser's next attempt
 * then meets the winner's committed row and fails for the constraint, as the caller expects. A transaction's
 * callback must therefore do nothing that cannot be done twice but its statements (every one here writes only
 * through `tx`, or enqueues jobs whose ids or handlers make a repeat harmless).
 */
export class RetryingDataSource extends DataSource {
  override async transaction<T>(
    isolationOrRun: IsolationLevel | ((entityManager: EntityManager) => Promise<T>),
    run?: (entityManager: EntityManager) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return typeof isolationOrRun === 'function'
          ? await super.transaction(isolationOrRun)
          : await super.transaction(isolationOrRun, run as (entityManager: EntityManager) => Promise<T>);
      } catch (error) {
        if (attempt >= TRANSACTION_ATTEMPTS || !isTransientConflict(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, transientRetryDelayMs(attempt)));
      }
    }
  }
}
