import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { JobQueues, PavilionMetrics, refreshQueueDepths } from '@pavilion/notifications';
import { Access } from '../access/policy';

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: PavilionMetrics,
    private readonly queues: JobQueues,
  ) {}

  @Get()
  @Access.public()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    await refreshQueueDepths(this.metrics, this.queues);
    return this.metrics.registry.metrics();
  }
}
