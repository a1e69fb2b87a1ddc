import { Controller, Get, Header, Headers } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AppConfig } from '@pavilion/config';
import { DomainError, ErrorCode } from '@pavilion/core';
import { JobQueues, metricsAccess, PavilionMetrics, refreshQueueDepths } from '@pavilion/notifications';
import { Access } from '../access/policy';

/** Prometheus scrape, for holders of METRICS_TOKEN only (the access-token guard does not apply: no user). */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: PavilionMetrics,
    private readonly queues: JobQueues,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Access.metrics()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('cache-control', 'no-store')
  async scrape(@Headers('authorization') authorization?: string): Promise<string> {
    const access = metricsAccess(authorization, this.config.metricsToken);
    if (access === 'disabled') throw DomainError.notFound('Metrics (set METRICS_TOKEN to serve them)');
    if (access === 'refused') {
      throw new DomainError(ErrorCode.Unauthenticated, 'Send Authorization: Bearer <METRICS_TOKEN>');
    }
    await refreshQueueDepths(this.metrics, this.queues);
    return this.metrics.text();
  }
}
