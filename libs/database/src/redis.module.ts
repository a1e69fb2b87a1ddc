import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@pavilion/config';

/** Injection token of the process's shared ioredis client (rate limits, queue health). */
export const REDIS = Symbol('REDIS');
export const InjectRedis = () => Inject(REDIS);

class RedisShutdown implements OnApplicationShutdown {
  constructor(@InjectRedis() private readonly redis: Redis) {}
  async onApplicationShutdown() {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      // A command waits for at most one reconnection attempt: while Redis is down, rate-limited routes answer
      // 503 in a second or two instead of hanging (BullMQ's own connections keep retrying).
      useFactory: (config: AppConfig) =>
        new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 }),
    },
    RedisShutdown,
  ],
  exports: [REDIS],
})
export class RedisModule {}
