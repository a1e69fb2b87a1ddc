import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
} from 'class-validator';
import type { RunStatus } from '../scheduling/scheduling-runs.repository';

export class CreateSchedulingRunDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 120, default: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  timeLimitSeconds?: number;
  @ApiPropertyOptional({ enum: ['unplaced', 'all'], default: 'unplaced' })
  @IsOptional()
  @IsIn(['unplaced', 'all'])
  scope?: 'unplaced' | 'all';
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() keepPublished?: boolean;
}

export class ApplySchedulingRunDto {
  @ApiPropertyOptional({ type: [String], description: 'Apply only these placements' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  itemIds?: string[];
}

export class PlaceDto {
  @ApiProperty() spaceId!: string;
  @ApiProperty() startsAt!: string;
  @ApiProperty() endsAt!: string;
}

export class RunPlacementDto extends PlaceDto {
  @ApiProperty() itemId!: string;
  @ApiProperty() moved!: boolean;
  @ApiPropertyOptional({ type: PlaceDto }) previous?: PlaceDto;
  @ApiPropertyOptional({ description: 'Why a placed item moves' }) why?: string;
}

export class UnplacedReasonDto {
  @ApiProperty({
    enum: [
      'no_space_fits',
      'no_window',
      'speaker_unavailable',
      'blocked_by_constraints',
      'time_limit',
      'pinned',
    ],
  })
  code!: string;
  @ApiProperty() detail!: string;
}

export class RunUnplacedDto {
  @ApiProperty() itemId!: string;
  @ApiProperty({ type: [UnplacedReasonDto] }) reasons!: UnplacedReasonDto[];
}

export class RunScoreDto {
  @ApiProperty({ description: 'Broken hard rules: always 0 in a proposal' }) hard!: number;
  @ApiProperty({ description: 'Penalty, lower is better' }) soft!: number;
  @ApiPropertyOptional({ description: 'The soft penalty term by term (counts)' })
  terms?: Record<string, number>;
}

export class SchedulingRunResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() programmeId!: string;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed', 'cancelled'] }) status!: RunStatus;
  @ApiProperty({ minimum: 0, maximum: 1 }) progress!: number;
  @ApiProperty({ nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ type: RunScoreDto, nullable: true }) score!: RunScoreDto | null;
  @ApiProperty({ type: [RunPlacementDto] }) placements!: RunPlacementDto[];
  @ApiProperty({ type: [RunUnplacedDto] }) unplaced!: RunUnplacedDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) error?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) appliedAt?: string | null;
  @ApiProperty() options!: { timeLimitSeconds: number; scope: 'unplaced' | 'all'; keepPublished: boolean };
}

export class ApplyResultDto {
  @ApiProperty() applied!: number;
}
