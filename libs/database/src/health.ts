import { Injectable, Module } from '@nestjs/common';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import Redis from 'ioredis';
import { InjectRedis } from './redis.module';

/** Readiness of what every Pavilion process stands on: PostgreSQL and Redis. */
@Injectable()
export class InfraHealth {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgres: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  /** Resolves when both answer; rejects with a 503 exception naming the one that does not. */
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.postgres.pingCheck('postgres', { timeout: 2000 }),
      () => this.pingRedis(),
    ]);
  }

  private async pingRedis() {
    const session = this.indicators.check('redis');
    try {
      const answer = await Promise.race([
        this.redis.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), 2000).unref()),
      ]);
      return answer === 'PONG' ? session.up() : session.down({ message: `unexpected answer ${answer}` });
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }
}

@Module({ imports: [TerminusModule], providers: [InfraHealth], exports: [InfraHealth] })
export class InfraHealthModule {}
