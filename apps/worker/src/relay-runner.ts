import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@pavilion/config';
import { InjectRedis, reportRedisErrors } from '@pavilion/database';
import { JobQueues, nudgeChannel, OutboxRelay } from '@pavilion/notifications';

/** Runs the outbox relay on a timer and on the API's nudges; schedules the backstop sweep; checks Redis. */
@Injectable()
export class RelayRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RelayRunner.name);
  private timer?: NodeJS.Timeout;
  private subscriber?: Redis;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly queues: JobQueues,
    private readonly config: AppConfig,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const [, policy] = ((await this.redis.config('GET', 'maxmemory-policy')) as string[]) ?? [];
    if (policy !== 'noeviction') {
      this.logger.warn(
        `Redis maxmemory-policy is ${policy}: set it to noeviction, or Redis may drop queued jobs under memory pressure`,
      );
    }
    await this.queues.notifications.upsertJobScheduler(
      'sweep',
      { every: this.config.reminderSweepMs },
      { name: 'sweep', data: {} },
    );

    this.subscriber = reportRedisErrors(this.redis.duplicate(), this.logger);
    await this.subscriber.subscribe(nudgeChannel(this.config.queuePrefix));
    this.subscriber.on('message', () => void this.relay.relay());
    this.timer = setInterval(() => void this.tick(), this.config.relayIntervalMs);
    void this.relay.relay();
  }

  private lastSchedule = 0;

  private async tick(): Promise<void> {
    await this.relay.relay();
    // Re-assert the sweep's scheduler now and then: if Redis was emptied, the backstop must come back by itself.
    if (Date.now() - this.lastSchedule >= this.config.reminderSweepMs)
      await this.scheduleSweep().catch(() => undefined);
  }

  private async scheduleSweep(): Promise<void> {
    this.lastSchedule = Date.now();
    await this.queues.notifications.upsertJobScheduler(
      'sweep',
      { every: this.config.reminderSweepMs },
      { name: 'sweep', data: {} },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.subscriber?.quit().catch(() => undefined);
  }
}
