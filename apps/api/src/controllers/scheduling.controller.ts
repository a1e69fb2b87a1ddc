import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  ApplyResultDto,
  ApplySchedulingRunDto,
  CreateSchedulingRunDto,
  SchedulingApplyService,
  SchedulingRunResponseDto,
  SchedulingRunsService,
} from '@pavilion/programmes';
import { Access } from '../access/policy';
import { UuidPipe } from '../http/uuid.pipe';

@ApiTags('scheduling')
@Controller('api')
export class SchedulingController {
  constructor(
    private readonly runs: SchedulingRunsService,
    private readonly proposals: SchedulingApplyService,
  ) {}

  @Post('programmes/:id/scheduling-runs')
  @HttpCode(202)
  @Access.ownerOf('programme')
  create(
    @Param('id', UuidPipe) id: string,
    @Body() dto: CreateSchedulingRunDto,
  ): Promise<{ id: string; status: 'queued' }> {
    return this.runs.create(id, dto);
  }

  @Get('scheduling-runs/:id')
  @Access.ownerOf('scheduling-run')
  get(@Param('id', UuidPipe) id: string): Promise<SchedulingRunResponseDto> {
    return this.runs.get(id);
  }

  @Post('scheduling-runs/:id/cancel')
  @HttpCode(200)
  @Access.ownerOf('scheduling-run')
  cancel(@Param('id', UuidPipe) id: string): Promise<SchedulingRunResponseDto> {
    return this.runs.cancel(id);
  }

  @Post('scheduling-runs/:id/apply')
  @HttpCode(200)
  @Access.ownerOf('scheduling-run')
  apply(@Param('id', UuidPipe) id: string, @Body() dto: ApplySchedulingRunDto): Promise<ApplyResultDto> {
    return this.proposals.apply(id, dto.itemIds);
  }
}
