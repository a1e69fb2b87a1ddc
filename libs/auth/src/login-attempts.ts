import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { createHash } from 'node:crypto';
import { AppConfig } from '@pavilion/config';
import { DomainError, ErrorCode } from '@pavilion/core';
import { InjectRedis } from '@pavilion/database';

const WINDOW_MS = 15 * 60 * 1000;

/** Counts failed logins per email and client address in Redis, so the limit holds across API replicas. */
@Injectable()
export class LoginAttempts {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async refuseIfLimited(email: string, address: string): Promise<void> {
    const key = this.key(email, address);
    const failures = Number((await this.redis.get(key)) ?? 0);
    if (failures >= this.config.loginRateLimit) {
      const ttl = await this.redis.pttl(key);
      throw new DomainError(
        ErrorCode.RateLimited,
        `Too many failed logins; try again in ${Math.ceil(Math.max(ttl, 1000) / 60000)} minutes`,
      );
    }
  }

  async recordFailure(email: string, address: string): Promise<void> {
    const key = this.key(email, address);
    await this.redis.multi().incr(key).pexpire(key, WINDOW_MS, 'NX').exec();
  }

  private key(email: string, address: string): string {
    const digest = createHash('sha256').update(`${email}\n${address}`).digest('base64url');
    return `${this.config.queuePrefix}:login-failures:${digest}`;
  }
}
