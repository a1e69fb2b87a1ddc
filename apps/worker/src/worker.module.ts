import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, ConfigModule, logTransport } from '@pavilion/config';
import { DatabaseModule, InfraHealthModule, RedisModule } from '@pavilion/database';
import { MeetingsModule } from '@pavilion/meetings';
import { NotificationsModule } from '@pavilion/notifications';
import { SchedulingModule } from '@pavilion/programmes';
import { B2bSchedulingProcessor } from './processors/b2b-scheduling.processor';
import { DeliveriesProcessor } from './processors/deliveries.processor';
import { NotificationsProcessor } from './processors/notifications.processor';
import { SchedulingProcessor } from './processors/scheduling.processor';
import { RelayRunner } from './relay-runner';
import { WorkerHttpServer } from './worker-http.server';

export function workerModule(config: AppConfig) {
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      LoggerModule.forRoot({ pinoHttp: { level: config.logLevel, transport: logTransport(config) } }),
      DatabaseModule.forRoot(),
      RedisModule,
      InfraHealthModule,
      BullModule.forRootAsync({
        inject: [AppConfig],
        useFactory: (cfg: AppConfig) => ({ connection: { url: cfg.redisUrl }, prefix: cfg.queuePrefix }),
      }),
      NotificationsModule,
      SchedulingModule,
      MeetingsModule,
    ],
    providers: [
      WorkerHttpServer,
      NotificationsProcessor,
      DeliveriesProcessor,
      SchedulingProcessor,
      B2bSchedulingProcessor,
      RelayRunner,
    ],
  })
  class WorkerModule {}
  return WorkerModule;
}
