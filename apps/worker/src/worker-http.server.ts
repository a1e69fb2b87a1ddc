import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import Fastify, { FastifyInstance } from 'fastify';
import { AppConfig } from '@pavilion/config';
import { InfraHealth } from '@pavilion/database';
import { JobQueues, metricsAccess, PavilionMetrics, refreshQueueDepths } from '@pavilion/notifications';

/** The worker's only HTTP surface, on WORKER_PORT: /health/live, /health/ready and /metrics. */
@Injectable()
export class WorkerHttpServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerHttpServer.name);
  private readonly server: FastifyInstance = Fastify();

  constructor(
    private readonly config: AppConfig,
    private readonly infra: InfraHealth,
    private readonly metrics: PavilionMetrics,
    private readonly queues: JobQueues,
  ) {
    this.server.get('/health/live', async () => ({ status: 'ok' }));
    this.server.get('/health/ready', async (_request, reply) => {
      try {
        return await this.infra.ready();
      } catch (error) {
        const body = (error as { getResponse?: () => unknown }).getResponse?.() ?? { status: 'error' };
        return reply.status(503).send(body);
      }
    });
    this.server.get('/metrics', async (request, reply) => {
      const access = metricsAccess(request.headers.authorization, this.config.metricsToken);
      if (access !== 'ok') {
        return reply
          .status(access === 'disabled' ? 404 : 401)
          .header('content-type', 'application/problem+json')
          .send({
            type: `urn:pavilion:problem:${access === 'disabled' ? 'not-found' : 'unauthenticated'}`,
            title: access === 'disabled' ? 'Not found' : 'Unauthorized',
            status: access === 'disabled' ? 404 : 401,
            detail:
              access === 'disabled'
                ? 'Metrics are served only when METRICS_TOKEN is set'
                : 'Send Authorization: Bearer <METRICS_TOKEN>',
          });
      }
      await refreshQueueDepths(this.metrics, this.queues);
      return reply
        .header('content-type', this.metrics.registry.contentType)
        .header('cache-control', 'no-store')
        .send(await this.metrics.text());
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const address = await this.server.listen({ port: this.config.workerPort, host: '0.0.0.0' });
    this.logger.log(`Worker health at ${address}/health/ready`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server.close();
  }

  /** The bound port (useful when WORKER_PORT=0). */
  port(): number {
    const address = this.server.server.address();
    return typeof address === 'object' && address ? address.port : this.config.workerPort;
  }
}
