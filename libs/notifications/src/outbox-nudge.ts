import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@pavilion/config';
import { InjectRedis } from '@pavilion/database';

export const nudgeChannel = (prefix: string) => `${prefix}-outbox-nudge`;

/**
 * Tells the workers' relays that new outbox rows were committed, so messages go out within a second or two.
 * Nudges asked for while one is on its way to Redis become a single next one: a rush of writes costs a publish
 * per Redis round trip, not one per request, and every commit is still followed by a nudge sent after it.
 */
@Injectable()
export class OutboxNudge {
  private inFlight = false;
  private again = false;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Best effort: a lost nudge only delays the relay until its next timed pass. */
  nudge(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    this.redis
      .publish(nudgeChannel(this.config.queuePrefix), '1')
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = false;
        if (!this.again) return;
        this.again = false;
        this.nudge();
      });
  }
}
