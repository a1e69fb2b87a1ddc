import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from '@pavilion/auth';
import { AppConfig, ConfigModule, logTransport } from '@pavilion/config';
import { DatabaseModule, InfraHealthModule, REDIS, RedisModule } from '@pavilion/database';
import { ProgrammesModule, SchedulingModule } from '@pavilion/programmes';
import { NotificationsModule } from '@pavilion/notifications';
import { MeetingsModule } from '@pavilion/meetings';
import { RegistrationsModule } from '@pavilion/registrations';
import { VenuesModule } from '@pavilion/venues';
import { AccessGuard } from './access/access.guard';
import { AdminBootstrap } from './admin-bootstrap';
import { AdminSessionController } from './controllers/admin-session.controller';
import { AuthController } from './controllers/auth.controller';
import { B2bController, B2bSessionController, MyB2bController } from './controllers/b2b.controller';
import { CalendarsController } from './controllers/calendars.controller';
import { ClosuresController } from './controllers/closures.controller';
import { HealthController } from './controllers/health.controller';
import { ItemsController } from './controllers/items.controller';
import { MetricsController } from './controllers/metrics.controller';
import { NotificationsController } from './controllers/notifications.controller';
import { MeController } from './controllers/me.controller';
import { OrganizationsController } from './controllers/organizations.controller';
import { ProgrammesController } from './controllers/programmes.controller';
import { RegistrationsController } from './controllers/registrations.controller';
import { FavouritesController } from './controllers/favourites.controller';
import { ScheduleExportsController } from './controllers/schedule-exports.controller';
import { SchedulingController } from './controllers/scheduling.controller';
import { SpeakersController } from './controllers/speakers.controller';
import { UsersController } from './controllers/users.controller';
import { VenuesController } from './controllers/venues.controller';
import { ProblemDetailsFilter } from './http/problem-details';
import { AssetsController } from './site/assets.controller';
import { SiteItemFeedsController } from './site/site-item-feeds.controller';
import { SiteSessionController } from './site/site-session.controller';
import { SiteController } from './site/site.controller';
import { RevalidationMemo } from './site/revalidation-memo';
import { SiteSessions } from './site/site-sessions';

export function apiModule(config: AppConfig) {
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      // The root logger only, on no route: requests are logged by a Fastify hook (see requestLogHook).
      LoggerModule.forRoot({
        pinoHttp: { level: config.logLevel, transport: logTransport(config) },
        forRoutes: [],
      }),
      DatabaseModule.forRoot(),
      RedisModule,
      InfraHealthModule,
      ThrottlerModule.forRootAsync({
        inject: [AppConfig, REDIS],
        useFactory: (cfg: AppConfig, redis: Redis) => ({
          throttlers: [{ name: 'signup', ttl: 3_600_000, limit: cfg.signupRateLimit }],
          storage: new ThrottlerStorageRedisService(redis),
          getTracker: (req: Record<string, unknown>) => String(req.ip),
          // Keys carry QUEUE_PREFIX like every other Pavilion key in Redis (the storage wraps them in braces).
          generateKey: (_context, tracker: string, name: string) => `${cfg.queuePrefix}:${name}:${tracker}`,
        }),
      }),
      VenuesModule,
      ProgrammesModule,
      AuthModule,
      RegistrationsModule,
      BullModule.forRootAsync({
        inject: [AppConfig],
        useFactory: (cfg: AppConfig) => ({ connection: { url: cfg.redisUrl }, prefix: cfg.queuePrefix }),
      }),
      NotificationsModule,
      SchedulingModule,
      MeetingsModule,
    ],
    controllers: [
      HealthController,
      AuthController,
      MeController,
      OrganizationsController,
      UsersController,
      VenuesController,
      ProgrammesController,
      ItemsController,
      SpeakersController,
      RegistrationsController,
      CalendarsController,
      NotificationsController,
      B2bSessionController,
      B2bController,
      MyB2bController,
      MetricsController,
      AdminSessionController,
      SchedulingController,
      ClosuresController,
      ScheduleExportsController,
      FavouritesController,
      SiteController,
      SiteSessionController,
      SiteItemFeedsController,
      AssetsController,
    ],
    providers: [
      { provide: APP_GUARD, useClass: AccessGuard },
      { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      AdminBootstrap,
      SiteSessions,
      RevalidationMemo,
    ],
  })
  class ApiModule {}
  return ApiModule;
}
