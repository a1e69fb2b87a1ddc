import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppConfig } from '@pavilion/config';
import { workerModule } from './worker.module';

/** The worker process: a Nest application context running queue processors, closed gracefully on SIGTERM. */
export async function createWorker(config: AppConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(workerModule(config), { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  await app.init();
  return app;
}
