import { Module } from '@nestjs/common';
import { registerQueues } from '@pavilion/database';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VenuesModule } from '@pavilion/venues';
import { Programme, ProgrammeItem, Speaker } from '../programme.entities';
import { ProgrammesModule } from '../programmes.module';
import { SCHEDULING_QUEUE, SchedulingQueue } from './scheduling.queue';
import { SchedulingApplyService } from './scheduling-apply.service';
import { SchedulingRunner } from './scheduling-runner.service';
import { SchedulingRunsRepository } from './scheduling-runs.repository';
import { SchedulingRunsService } from './scheduling-runs.service';

/** Scheduling runs; the host application provides BullModule.forRoot (the API and the worker both do). */
@Module({
  imports: [
    TypeOrmModule.forFeature([Programme, ProgrammeItem, Speaker]),
    VenuesModule,
    ProgrammesModule,
    registerQueues(SCHEDULING_QUEUE),
  ],
  providers: [
    SchedulingRunsRepository,
    SchedulingQueue,
    SchedulingRunsService,
    SchedulingApplyService,
    SchedulingRunner,
  ],
  exports: [SchedulingRunsService, SchedulingApplyService, SchedulingRunner],
})
export class SchedulingModule {}
