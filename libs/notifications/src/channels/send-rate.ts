import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { RateLimiterQueue, RateLimiterRedis } from 'rate-limiter-flexible';
import { AppConfig } from '@pavilion/config';
import { InjectRedis } from '@pavilion/database';

/**
 * SMTP_MAX_PER_SECOND, the relay's cap, held across every worker process: each message takes a token from one
 * per-second counter in Redis (rate-limiter-flexible), and waits in its process's queue, first in first out,
 * while the second's tokens are gone. Unset: no cap and no Redis round trip.
 */
@Injectable()
export class SmtpSendRate {
  private readonly queue?: RateLimiterQueue;

  constructor(@InjectRedis() redis: Redis, config: AppConfig) {
    if (config.smtpMaxPerSecond === undefined) return;
    this.queue = new RateLimiterQueue(
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${config.queuePrefix}:smtp-rate`,
        points: config.smtpMaxPerSecond,
        duration: 1,
      }),
    );
  }

  async take(): Promise<void> {
    if (this.queue) await this.queue.removeTokens(1);
  }
}
