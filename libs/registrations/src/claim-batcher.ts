import { Injectable } from '@nestjs/common';
import { AppConfig } from '@pavilion/config';
import { ClaimResult, SeatClaimsRepository } from './seat-claims.repository';

const MAX_BATCH = 500;
/** A batch at least this big says a rush is on: the next batch of its item gathers claims before it starts. */
export const RUSH_BATCH = 8;
/** How long after a batch ends its size still says whether a rush is on. */
export const RUSH_MEMORY_MS = 1000;

interface PendingClaim {
  userId: string;
  resolve: (result: ClaimResult) => void;
  reject: (error: unknown) => void;
}

/** One item's claims: those waiting, whether a transaction runs, and the last batch's size and end. */
interface ItemClaims {
  pending: PendingClaim[];
  running: boolean;
  lastSize: number;
  lastEndedAt: number;
  /** Set while the next batch gathers: starts it once as many claims wait as the last batch had. */
  wake?: () => void;
}

/**
 * Group commit for a hot item: while one claim transaction for an item runs, the claims that arrive meanwhile
 * queue up and then go together in the next transaction, in arrival order. One row lock and one commit serve
 * many attendees, which is what lets a rush on one popular item go faster than one transaction per request.
 *
 * In a rush the attendees answered by one batch come back together, a moment after it ends. Starting the next
 * batch at once would send the one or two claims that happened to be waiting in a transaction of their own, as
 * long as a full one, while the rest pile up behind it (batches of 49 and 1 in turn, at 50 clients). So a batch
 * that follows a big one (RUSH_BATCH or more, ended within RUSH_MEMORY_MS) first waits, at most CLAIM_GATHER_MS,
 * until as many claims are waiting as that batch had: like PostgreSQL's commit_delay, a short wait only while
 * others are known to be coming. Outside a rush no claim waits.
 */
@Injectable()
export class ClaimBatcher {
  private readonly items = new Map<string, ItemClaims>();
  private readonly gatherMs: number;

  constructor(
    private readonly repository: SeatClaimsRepository,
    config: AppConfig,
  ) {
    this.gatherMs = config.claimGatherMs;
  }

  claim(itemId: string, userId: string): Promise<ClaimResult> {
    return new Promise((resolve, reject) => {
      let item = this.items.get(itemId);
      if (!item) {
        item = { pending: [], running: false, lastSize: 0, lastEndedAt: 0 };
        this.items.set(itemId, item);
      }
      item.pending.push({ userId, resolve, reject });
      if (item.wake && item.pending.length >= item.lastSize) item.wake();
      if (!item.running) {
        item.running = true;
        void this.drain(itemId, item);
      }
    });
  }

  private async drain(itemId: string, item: ItemClaims): Promise<void> {
    while (item.pending.length > 0) {
      if (this.rushOn(item) && item.pending.length < item.lastSize) await this.gather(item);
      const batch = item.pending.splice(0, MAX_BATCH);
      try {
        const results = await this.repository.claimBatch(
          itemId,
          batch.map((c) => c.userId),
          new Date(),
        );
        batch.forEach((claim, i) => claim.resolve(results[i]));
      } catch (error) {
        for (const claim of batch) claim.reject(error);
      }
      item.lastSize = batch.length;
      item.lastEndedAt = performance.now();
    }
    item.running = false;
    // Forgotten once its last batch no longer says anything (a later drain's own timer sees to it if claims came).
    setTimeout(() => {
      const idle = !item.running && performance.now() - item.lastEndedAt >= RUSH_MEMORY_MS;
      if (idle && this.items.get(itemId) === item) this.items.delete(itemId);
    }, RUSH_MEMORY_MS).unref();
  }

  private rushOn(item: ItemClaims): boolean {
    return (
      this.gatherMs > 0 &&
      item.lastSize >= RUSH_BATCH &&
      performance.now() - item.lastEndedAt < RUSH_MEMORY_MS
    );
  }

  private gather(item: ItemClaims): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        item.wake = undefined;
        resolve();
      };
      item.wake = done;
      // The clock starts once the answers of the batch just ended are written (their continuations run before
      // setImmediate's), so the wait is for the attendees' next requests, not for our own replies.
      setImmediate(() => {
        if (item.wake === done) timer = setTimeout(done, this.gatherMs);
      });
    });
  }
}
