import { Injectable } from '@nestjs/common';
import { ClaimResult, SeatClaimsRepository } from './seat-claims.repository';

const MAX_BATCH = 500;

interface PendingClaim {
  userId: string;
  resolve: (result: ClaimResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for a hot item: while one claim transaction for an item runs, the claims that arrive meanwhile
 * queue up and then go together in the next transaction, in arrival order. One row lock and one commit serve
 * many attendees, which is what lets a rush on one popular item go faster than one transaction per request.
 */
@Injectable()
export class ClaimBatcher {
  private readonly queues = new Map<string, PendingClaim[]>();

  constructor(private readonly repository: SeatClaimsRepository) {}

  claim(itemId: string, userId: string): Promise<ClaimResult> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(itemId);
      if (queue) {
        queue.push({ userId, resolve, reject });
        return;
      }
      const fresh = [{ userId, resolve, reject }];
      this.queues.set(itemId, fresh);
      void this.drain(itemId, fresh);
    });
  }

  private async drain(itemId: string, queue: PendingClaim[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
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
    }
    this.queues.delete(itemId);
  }
}
