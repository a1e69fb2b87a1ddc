import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@pavilion/config';

/** Injection token of the process's shared ioredis client (rate limits, queue health). */
export const REDIS = Symbol('REDIS');
export const InjectRedis = () => Inject(REDIS);

/**
 * Gives a client its 'error' listener: ioredis reconnects by itself, and a client without one reports every
 * failed attempt (ECONNREFUSED while Redis is down) as an unhandled error event. One warning per outage instead.
 */
export function reportRedisErrors<C extends Redis>(client: C, logger = new Logger('Redis')): C {
  let reported = false;
  client.on('error', (error: Error) => {
    if (reported) return;
    reported = true;
    logger.warn(`Redis is unreachable (${error.message}); reconnecting`);
  });
  client.on('ready', () => (reported = false));
  return client;
}

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
        reportRedisErrors(new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 })),
    },
    RedisShutdown,
  ],
  exports: [REDIS],
})
export class RedisModule {}
