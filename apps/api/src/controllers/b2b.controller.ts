import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { Actor, Page } from '@pavilion/core';
import {
  AttendanceDto,
  BookMeetingDto,
  CatalogueQueryDto,
  JoinSessionDto,
  MeetingResponseDto,
  MeetingsService,
  ParticipantResponseDto,
  ParticipantsService,
  RequestResponseDto,
  RequestsService,
  RunResponseDto,
  ScheduleRunsService,
  SendRequestDto,
  SessionCountsDto,
  StartRunDto,
  SuggestionDto,
  UpdateParticipantDto,
} from '@pavilion/meetings';
import { Access, SignedInActor } from '../access/policy';
import { UuidPipe } from '../http/uuid.pipe';

/** A B2B session's routes under its item: joining, the catalogue, requests, runs, booking, organizers' views. */
@ApiTags('b2b')
@Controller('api/items/:id/b2b')
export class B2bSessionController {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly requests: RequestsService,
    private readonly runs: ScheduleRunsService,
    private readonly meetings: MeetingsService,
  ) {}

  @Post('participants')
  @Access.signedIn()
  join(
    @Param('id', UuidPipe) id: string,
    @SignedInActor() actor: Actor,
    @Body() dto: JoinSessionDto,
  ): Promise<ParticipantResponseDto> {
    return this.participants.join(id, actor, dto);
  }

  @Get('participants')
  @Access.signedIn()
  catalogue(
    @Param('id', UuidPipe) id: string,
    @SignedInActor() actor: Actor,
    @Query() query: CatalogueQueryDto,
  ): Promise<Page<ParticipantResponseDto>> {
    return this.participants.catalogue(id, actor, query);
  }

  @Get('suggestions')
  @Access.signedIn()
  suggestions(
    @Param('id', UuidPipe) id: string,
    @SignedInActor() actor: Actor,
  ): Promise<{ items: SuggestionDto[] }> {
    return this.participants.suggestions(id, actor);
  }

  @Post('requests')
  @Access.signedIn()
  sendRequest(
    @Param('id', UuidPipe) id: string,
    @SignedInActor() actor: Actor,
    @Body() dto: SendRequestDto,
  ): Promise<RequestResponseDto> {
    return this.requests.send(id, actor, dto);
  }

  @Post('schedule-runs')
  @HttpCode(202)
  @Access.ownerOf('item')
  startRun(
    @Param('id', UuidPipe) id: string,
    @SignedInActor() actor: Actor,
    @Body() dto: StartRunDto,
  ): Promise<{ id: string; status: string }> {
    return this.runs.start(id, actor, dto);
  }

  @Post('meetings')
  @Access.signedIn()
  book(
    @Param('id', UuidPipe) id: string,
    @SignedInActor() actor: Actor,
    @Body() dto: BookMeetingDto,
  ): Promise<MeetingResponseDto> {
    return this.meetings.book(id, actor, dto);
  }

  @Get('meetings.csv')
  @Access.ownerOf('item')
  @Header('cache-control', 'no-store')
  @ApiProduces('text/csv')
  async scheduleCsv(
    @Param('id', UuidPipe) id: string,
    @SignedInActor() actor: Actor,
  ): Promise<StreamableFile> {
    return new StreamableFile(await this.meetings.scheduleCsv(id, actor), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="b2b-meetings-${id}.csv"`,
    });
  }

  @Get('stats')
  @Access.ownerOf('item')
  counts(@Param('id', UuidPipe) id: string, @SignedInActor() actor: Actor): Promise<SessionCountsDto> {
    return this.meetings.counts(id, actor);
  }
}

/** B2B participations, requests, runs and meetings addressed by their own ids. */
@ApiTags('b2b')
@Controller('api/b2b')
export class B2bController {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly requests: RequestsService,
    private readonly runs: ScheduleRunsService,
    private readonly meetings: MeetingsService,
  ) {}

  @Patch('participants/:id')
  @Access.signedIn()
  update(
    @Param('id', UuidPipe) id: string,
    @SignedInActor() actor: Actor,
    @Body() dto: UpdateParticipantDto,
  ): Promise<ParticipantResponseDto> {
    return this.participants.update(id, actor, dto);
  }

  @Delete('participants/:id')
  @HttpCode(204)
  @Access.signedIn()
  leave(@Param('id', UuidPipe) id: string, @SignedInActor() actor: Actor): Promise<void> {
    return this.participants.leave(id, actor);
  }

  @Post('requests/:id/accept')
  @HttpCode(200)
  @Access.signedIn()
  accept(@Param('id', UuidPipe) id: string, @SignedInActor() actor: Actor): Promise<RequestResponseDto> {
    return this.requests.accept(id, actor);
  }

  @Post('requests/:id/decline')
  @HttpCode(200)
  @Access.signedIn()
  decline(@Param('id', UuidPipe) id: string, @SignedInActor() actor: Actor): Promise<RequestResponseDto> {
    return this.requests.decline(id, actor);
  }

  @Post('requests/:id/withdraw')
  @HttpCode(200)
  @Access.signedIn()
  withdraw(@Param('id', UuidPipe) id: string, @SignedInActor() actor: Actor): Promise<RequestResponseDto> {
    return this.requests.withdraw(id, actor);
  }

  @Get('schedule-runs/:id')
  @Access.signedIn()
  run(@Param('id', UuidPipe) id: string, @SignedInActor() actor: Actor): Promise<RunResponseDto> {
    return this.runs.get(id, actor);
  }

  @Post('schedule-runs/:id/cancel')
  @HttpCode(200)
  @Access.signedIn()
  cancelRun(@Param('id', UuidPipe) id: string, @SignedInActor() actor: Actor): Promise<RunResponseDto> {
    return this.runs.cancel(id, actor);
  }

  @Post('schedule-runs/:id/publish')
  @HttpCode(200)
  @Access.signedIn()
  publish(@Param('id', UuidPipe) id: string, @SignedInActor() actor: Actor): Promise<RunResponseDto> {
    return this.runs.publish(id, actor);
  }

  @Post('meetings/:id/cancel')
  @HttpCode(200)
  @Access.signedIn()
  cancelMeeting(
    @Param('id', UuidPipe) id: string,
    @SignedInActor() actor: Actor,
  ): Promise<MeetingResponseDto> {
    return this.meetings.cancel(id, actor);
  }

  @Post('meetings/:id/attendance')
  @HttpCode(200)
  @Access.signedIn()
  attendance(
    @Param('id', UuidPipe) id: string,
    @SignedInActor() actor: Actor,
    @Body() dto: AttendanceDto,
  ): Promise<MeetingResponseDto> {
    return this.meetings.setAttendance(id, actor, dto);
  }
}

/** The caller's own B2B requests and meetings. */
@ApiTags('b2b')
@Controller('api/me')
export class MyB2bController {
  constructor(
    private readonly requests: RequestsService,
    private readonly meetings: MeetingsService,
  ) {}

  @Get('b2b/requests')
  @Access.signedIn()
  requestsOfMine(@SignedInActor() actor: Actor) {
    return this.requests.mine(actor);
  }

  @Get('meetings')
  @Access.signedIn()
  meetingsOfMine(@SignedInActor() actor: Actor): Promise<{ items: MeetingResponseDto[] }> {
    return this.meetings.mine(actor);
  }
}
