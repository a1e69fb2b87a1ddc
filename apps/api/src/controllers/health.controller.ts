import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult } from '@nestjs/terminus';
import { InfraHealth } from '@pavilion/database';
import { Access } from '../access/policy';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly infra: InfraHealth) {}

  @Get('live')
  @Access.public()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Access.public()
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.infra.ready();
  }
}
