import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@pavilion/config';
import { InjectRedis } from '@pavilion/database';

export const nudgeChannel = (prefix: string) => `${prefix}-outbox-nudge`;

/** Tells the workers' relays that new outbox rows were committed, so messages go out within a second or two. */
@Injectable()
export class OutboxNudge {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Best effort: a lost nudge only delays the relay until its next timed pass. */
  nudge(): void {
    this.redis.publish(nudgeChannel(this.config.queuePrefix), '1').catch(() => undefined);
  }
}
