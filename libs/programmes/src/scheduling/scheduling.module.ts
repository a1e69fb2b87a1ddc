import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VenuesModule } from '@pavilion/venues';
import { Programme, ProgrammeItem, Speaker } from '../programme.entities';
import { ProgrammesModule } from '../programmes.module';
import { SCHEDULING_QUEUE } from './scheduling.queue';
import { SchedulingRunsRepository } from './scheduling-runs.repository';
import { SchedulingRunsService } from './scheduling-runs.service';

/** Scheduling runs; the host application provides BullModule.forRoot (the API and the worker both do). */
@Module({
  imports: [
    TypeOrmModule.forFeature([Programme, ProgrammeItem, Speaker]),
    VenuesModule,
    ProgrammesModule,
    BullModule.registerQueue({ name: SCHEDULING_QUEUE }),
  ],
  providers: [SchedulingRunsRepository, SchedulingRunsService],
  exports: [SchedulingRunsService],
})
export class SchedulingModule {}
