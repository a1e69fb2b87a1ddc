import { Module } from '@nestjs/common';
import { registerQueues } from '@pavilion/database';
import { B2B_SCHEDULING_QUEUE, B2bSchedulingQueue } from './meeting-queues';
import { MeetingsRepository } from './meetings.repository';
import { ParticipantsRepository } from './participants.repository';
import { RequestsRepository } from './requests.repository';
import { ScheduleRunsRepository } from './schedule-runs.repository';
import { MeetingsService } from './meetings.service';
import { ParticipantsService } from './participants.service';
import { RequestsService } from './requests.service';
import { ScheduleRunWorker } from './schedule-run.worker';
import { ScheduleRunsService } from './schedule-runs.service';
import { SessionAccess } from './session-access';

/** B2B sessions. Needs BullModule.forRoot from the app that imports it. */
@Module({
  imports: [registerQueues(B2B_SCHEDULING_QUEUE)],
  providers: [
    ParticipantsRepository,
    RequestsRepository,
    MeetingsRepository,
    ScheduleRunsRepository,
    SessionAccess,
    B2bSchedulingQueue,
    ParticipantsService,
    RequestsService,
    ScheduleRunsService,
    ScheduleRunWorker,
    MeetingsService,
  ],
  exports: [ParticipantsService, RequestsService, ScheduleRunsService, ScheduleRunWorker, MeetingsService],
})
export class MeetingsModule {}
