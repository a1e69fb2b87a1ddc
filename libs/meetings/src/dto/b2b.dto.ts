import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  formatVenueInstant,
  INSTANT_DOC,
  Locale,
  LOCALES,
  OptionalText,
  OptionalTimeRanges,
  PageQueryDto,
  RequiredText,
  TimeRangeDto,
} from '@pavilion/core';
import type { Meeting, MeetingRequest, Participant, ScheduleRun, Session } from '../meeting-rows';

const Tags = () => (target: object, key: string) => {
  IsArray()(target, key);
  ArrayMaxSize(30)(target, key);
  IsString({ each: true })(target, key);
  IsNotEmpty({ each: true })(target, key);
  MaxLength(100, { each: true })(target, key);
};

export class JoinSessionDto {
  @ApiProperty({ example: 'Chelyabinsk Pipe Plant' }) @RequiredText(200) company!: string;
  @ApiPropertyOptional({ example: 'Export director', nullable: true, type: String })
  @OptionalText(200)
  position?: string;
  @ApiProperty({ example: 'metallurgy' }) @RequiredText(100) sector!: string;
  @ApiProperty({ example: ['steel pipes'] }) @Tags() offers!: string[];
  @ApiProperty({ example: ['distributors in Kazakhstan'] }) @Tags() seeks!: string[];
  @ApiProperty({ enum: LOCALES, isArray: true, example: ['ru', 'kk'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(LOCALES, { each: true })
  languages!: Locale[];
  @ApiPropertyOptional({ nullable: true, type: String }) @OptionalText(4000) about?: string;
  @ApiPropertyOptional({ type: [TimeRangeDto] }) @OptionalTimeRanges(50) unavailable?: TimeRangeDto[];
}

/** Any of the profile's fields; those left out stay as they are. */
export class UpdateParticipantDto extends PartialType(JoinSessionDto) {}

export class CatalogueQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Words in company, position, about or name' })
  @OptionalText(200)
  q?: string;
  @ApiPropertyOptional() @OptionalText(100) sector?: string;
  @ApiPropertyOptional() @OptionalText(100) offers?: string;
  @ApiPropertyOptional() @OptionalText(100) seeks?: string;
  @ApiPropertyOptional({ enum: LOCALES }) @IsOptional() @IsIn(LOCALES) language?: string;
}

export class SendRequestDto {
  @ApiProperty() @IsUUID() toParticipantId!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @OptionalText(2000) message?: string;
}

export class StartRunDto {
  @ApiPropertyOptional({ default: 10, minimum: 1, maximum: 120 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  timeLimitSeconds?: number;
}

export class BookMeetingDto {
  @ApiProperty() @IsUUID() requestId!: string;
  @ApiProperty({ example: '2017-08-15T15:20', description: `The start of a slot. ${INSTANT_DOC}` })
  @IsString()
  @MaxLength(40)
  slotStartsAt!: string;
}

export class AttendanceDto {
  @ApiProperty({ enum: ['held', 'no_show'] }) @IsIn(['held', 'no_show']) status!: 'held' | 'no_show';
}

export class ParticipantResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() itemId!: string;
  @ApiProperty() userId!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() company!: string;
  @ApiProperty({ nullable: true, type: String }) position!: string | null;
  @ApiProperty() sector!: string;
  @ApiProperty({ type: [String] }) offers!: string[];
  @ApiProperty({ type: [String] }) seeks!: string[];
  @ApiProperty({ type: [String] }) languages!: string[];
  @ApiProperty({ nullable: true, type: String }) about!: string | null;
  @ApiProperty({ type: [TimeRangeDto] }) unavailable!: { from: string; to: string }[];
  @ApiProperty({ enum: ['active', 'left'] }) status!: string;
}

export class SuggestionDto {
  @ApiProperty({ type: ParticipantResponseDto }) participant!: ParticipantResponseDto;
  @ApiProperty() score!: number;
  @ApiProperty({ type: [String], description: 'Why: what they offer that you seek, and back' })
  because!: string[];
}

export class RequestResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() itemId!: string;
  @ApiProperty() fromParticipantId!: string;
  @ApiProperty() toParticipantId!: string;
  @ApiProperty({ nullable: true, type: String }) message!: string | null;
  @ApiProperty({ enum: ['pending', 'accepted', 'declined', 'withdrawn'] }) status!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) answeredAt!: string | null;
  @ApiProperty() hasMeeting!: boolean;
  @ApiPropertyOptional({ enum: ['sent', 'received'] }) direction?: 'sent' | 'received';
}

export class CounterpartDto {
  @ApiProperty() participantId!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() company!: string;
}

export class MeetingResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() itemId!: string;
  @ApiProperty() requestId!: string;
  @ApiProperty({ enum: ['scheduled', 'cancelled'] }) status!: string;
  @ApiProperty() slotStartsAt!: string;
  @ApiProperty() slotEndsAt!: string;
  @ApiProperty() table!: number;
  @ApiPropertyOptional({ type: CounterpartDto }) counterpart?: CounterpartDto;
  @ApiPropertyOptional({ enum: ['held', 'no_show'], nullable: true }) attendance?: string | null;
}

export class RunResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() itemId!: string;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed', 'cancelled'] }) status!: string;
  @ApiProperty() progress!: number;
  @ApiProperty() timeLimitSeconds!: number;
  @ApiProperty({ nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) publishedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) error?: string | null;
  @ApiProperty() meetings!: { requestId: string; slotStartsAt: string; slotEndsAt: string; table: number }[];
  @ApiProperty() unscheduled!: { requestId: string; reasons: { code: string; detail: string }[] }[];
  @ApiProperty() stats!: {
    accepted: number;
    scheduled: number;
    upperBound: number;
    participantsWithNone?: number;
  };
}

export class SessionCountsDto {
  @ApiProperty() participants!: number;
  @ApiProperty() requested!: number;
  @ApiProperty() accepted!: number;
  @ApiProperty() scheduled!: number;
  @ApiProperty() held!: number;
}

export function mapParticipant(p: Participant, timezone: string): ParticipantResponseDto {
  return {
    id: p.id,
    itemId: p.itemId,
    userId: p.userId,
    displayName: p.displayName,
    company: p.company,
    position: p.position,
    sector: p.sector,
    offers: p.offers,
    seeks: p.seeks,
    languages: p.languages,
    about: p.about,
    unavailable: p.unavailable.map((r) => ({
      from: formatVenueInstant(new Date(r.start), timezone),
      to: formatVenueInstant(new Date(r.end), timezone),
    })),
    status: p.status,
  };
}

export function mapRequest(r: MeetingRequest, timezone: string, viewerUserId?: string): RequestResponseDto {
  return {
    id: r.id,
    itemId: r.itemId,
    fromParticipantId: r.fromParticipantId,
    toParticipantId: r.toParticipantId,
    message: r.message,
    status: r.status,
    createdAt: formatVenueInstant(r.createdAt, timezone),
    answeredAt: r.answeredAt ? formatVenueInstant(r.answeredAt, timezone) : null,
    hasMeeting: r.hasMeeting,
    ...(viewerUserId && { direction: r.fromUserId === viewerUserId ? 'sent' : 'received' }),
  };
}

export function mapMeeting(m: Meeting, timezone: string, counterpart?: Participant): MeetingResponseDto {
  return {
    id: m.id,
    itemId: m.itemId,
    requestId: m.requestId,
    status: m.status,
    slotStartsAt: formatVenueInstant(m.startsAt, timezone),
    slotEndsAt: formatVenueInstant(m.endsAt, timezone),
    table: m.table,
    ...(counterpart && {
      counterpart: {
        participantId: counterpart.id,
        displayName: counterpart.displayName,
        company: counterpart.company,
      },
    }),
    attendance: m.attendance,
  };
}

export function mapRun(run: ScheduleRun, session: Session): RunResponseDto {
  const at = (d: Date | null) => (d ? formatVenueInstant(d, session.timezone) : null);
  const slotStart = (slot: number) =>
    new Date(session.startsAt.getTime() + slot * session.meetingMinutes * 60_000);
  return {
    id: run.id,
    itemId: run.itemId,
    status: run.status,
    progress: run.progress,
    timeLimitSeconds: run.timeLimitSeconds,
    startedAt: at(run.startedAt),
    finishedAt: at(run.finishedAt),
    publishedAt: at(run.publishedAt),
    error: run.error,
    meetings: (run.result?.meetings ?? []).map((m) => ({
      requestId: m.requestId,
      slotStartsAt: formatVenueInstant(slotStart(m.slot), session.timezone),
      slotEndsAt: formatVenueInstant(slotStart(m.slot + 1), session.timezone),
      table: m.table,
    })),
    unscheduled: run.result?.unscheduled ?? [],
    stats: run.result?.stats ?? { accepted: 0, scheduled: 0, upperBound: 0 },
  };
}
