import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig, ConfigModule } from '@pavilion/config';
import { DatabaseModule, InfraHealthModule, RedisModule } from '@pavilion/database';
import { WorkerHttpServer } from './worker-http.server';

export function workerModule(config: AppConfig) {
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      LoggerModule.forRoot({ pinoHttp: { level: config.logLevel } }),
      DatabaseModule.forRoot(),
      RedisModule,
      InfraHealthModule,
      BullModule.forRootAsync({
        inject: [AppConfig],
        useFactory: (cfg: AppConfig) => ({ connection: { url: cfg.redisUrl }, prefix: cfg.queuePrefix }),
      }),
    ],
    providers: [WorkerHttpServer],
  })
  class WorkerModule {}
  return WorkerModule;
}
