import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@pavilion/config';
import { DomainError, ErrorCode } from '@pavilion/core';
import { InjectRedis } from '@pavilion/database';

const WINDOW_MS = 15 * 60 * 1000;

/**
 * Counts wrong check-in codes per item and caller in Redis (across API replicas), so the six-character codes
 * cannot be guessed by trying them all: past CHECKIN_FAILURE_LIMIT in 15 minutes the caller gets 429.
 */
@Injectable()
export class CheckInAttempts {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async refuseIfLimited(itemId: string, callerId: string): Promise<void> {
    const key = this.key(itemId, callerId);
    const failures = Number((await this.redis.get(key)) ?? 0);
    if (failures >= this.config.checkInFailureLimit) {
      const ttl = await this.redis.pttl(key);
      throw new DomainError(
        ErrorCode.RateLimited,
        `Too many wrong check-in codes for this item; try again in ${Math.ceil(Math.max(ttl, 1000) / 60000)} minutes`,
      );
    }
  }

  async recordFailure(itemId: string, callerId: string): Promise<void> {
    const key = this.key(itemId, callerId);
    await this.redis.multi().incr(key).pexpire(key, WINDOW_MS, 'NX').exec();
  }

  private key(itemId: string, callerId: string): string {
    return `${this.config.queuePrefix}:check-in-failures:${itemId}:${callerId}`;
  }
}
