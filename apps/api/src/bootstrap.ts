import cookie from '@fastify/cookie';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '@pavilion/config';
import { OutboxNudge } from '@pavilion/notifications';
import { apiModule } from './app.module';
import { registerStrictBodyParsers } from './http/json-body';
import { outboxNudgeHook } from './http/outbox-nudge.hook';
import { requestLogHook } from './http/request-logging';
import { declareProblemResponses } from './http/openapi-problems';
import { sendProblem, toProblem } from './http/problem-details';
import { mountQueueDashboard } from './http/queue-dashboard';
import { RevalidationMemo } from './site/revalidation-memo';
import { validationPipe } from './http/validation';

export const BODY_LIMIT_BYTES = 1024 * 1024;
const frameworkLogger = new Logger('Http');

/** Builds the API application (not yet listening), as `main.ts` and the e2e tests both use it. */
export async function createApiApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    // Behind a reverse proxy (docker-compose.yml), rate limits key on the client's address, not the proxy's.
    trustProxy: config.trustProxy,
    // A malformed URL (bad percent-encoding) or a path parameter past 100 characters: problem+json like any refusal.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(reply, request, toProblem(error, frameworkLogger, request.id)),
  });
  const app = await NestFactory.create<NestFastifyApplication>(apiModule(config), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(NestPinoLogger));
  // Nest's parsers first (it would add them at init otherwise), then the strict ones in their place.
  adapter.registerParserMiddleware();
  registerStrictBodyParsers(adapter.getInstance());
  app.enableShutdownHooks();

  // Security headers (helmet), its middleware built once: @fastify/helmet built it again on every request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
      },
    },
  });
  adapter
    .getInstance()
    .addHook('onRequest', (request, reply, done) =>
      securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)),
    );
  // The public site's session cookie (its urlencoded forms go through the strict body parsers above).
  await app.register(cookie);
  adapter.getInstance().addHook('onResponse', outboxNudgeHook(app.get(OutboxNudge)));
  adapter.getInstance().addHook(
    'onResponse',
    requestLogHook(() => PinoLogger.root, config.env !== 'test'),
  );
  // A public page's repeat revalidation is answered 304 here, before routing (see RevalidationMemo).
  adapter.getInstance().addHook('onRequest', app.get(RevalidationMemo).hook());
  app.enableCors({ origin: config.corsOrigins.length > 0 ? config.corsOrigins : false });
  app.useGlobalPipes(validationPipe());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Pavilion API')
      .setDescription(
        'Programmes of expo pavilions and business forums. Access per route: x-pavilion-access.',
      )
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  declareProblemResponses(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  await mountQueueDashboard(app);
  return app;
}
