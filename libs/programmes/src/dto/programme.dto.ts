import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import {
  FieldRules,
  formatVenueInstant,
  IsLocalDate,
  OptionalText,
  PageQueryDto,
  ReminderOffsets,
  RequiredText,
} from '@pavilion/core';
import { Programme, ProgrammeStatus } from '../programme.entities';

export const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

/** The languages of a programme or an item: up to 20 distinct language tags. */
export const OptionalLanguageTags = () =>
  FieldRules(
    IsOptional(),
    IsArray(),
    ArrayMaxSize(20),
    ArrayUnique(),
    Matches(LANGUAGE_TAG, { each: true, message: 'languages must be language tags such as en, ru, kk' }),
  );

export class CreateProgrammeDto {
  @ApiProperty() @IsUUID() organizationId!: string;
  @ApiProperty() @IsUUID() pavilionId!: string;
  @ApiProperty({ example: 'Days of Chelyabinsk Region' }) @RequiredText(300) title!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @OptionalText(10_000) description?: string;
  @ApiProperty({ example: '2017-08-15' }) @IsLocalDate() startsOn!: string;
  @ApiProperty({ example: '2017-08-16' }) @IsLocalDate() endsOn!: string;

  @ApiPropertyOptional({ example: ['ru', 'en', 'kk'] }) @OptionalLanguageTags() languages?: string[];

  @ApiPropertyOptional({
    example: [1440, 60],
    description: 'Reminder offsets before an item starts, minutes',
  })
  @ReminderOffsets()
  reminderOffsetsMinutes?: number[];
}

export class UpdateProgrammeDto extends PartialType(
  PickType(CreateProgrammeDto, [
    'title',
    'description',
    'startsOn',
    'endsOn',
    'languages',
    'reminderOffsetsMinutes',
  ]),
) {}

export class ProgrammeListQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() organizationId?: string;
}

export class ProgrammeResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() organizationId!: string;
  @ApiProperty() pavilionId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty() startsOn!: string;
  @ApiProperty() endsOn!: string;
  @ApiProperty({ type: [String] }) languages!: string[];
  @ApiProperty({ type: [Number] }) reminderOffsetsMinutes!: number[];
  @ApiProperty({ enum: ['draft', 'published'] }) status!: ProgrammeStatus;
  @ApiProperty({ nullable: true, type: String }) publishedAt!: string | null;
  @ApiProperty() timezone!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export function mapProgramme(p: Programme, timezone: string): ProgrammeResponseDto {
  return {
    id: p.id,
    organizationId: p.organizationId,
    pavilionId: p.pavilionId,
    title: p.title,
    description: p.description,
    startsOn: p.startsOn,
    endsOn: p.endsOn,
    languages: p.languages,
    reminderOffsetsMinutes: p.reminderOffsetsMinutes,
    status: p.status,
    publishedAt: p.publishedAt ? formatVenueInstant(p.publishedAt, timezone) : null,
    timezone,
    createdAt: formatVenueInstant(p.createdAt, timezone),
    updatedAt: formatVenueInstant(p.updatedAt, timezone),
  };
}

export class ItemImportQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: check the file only, write nothing' })
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';
}

export class ItemImportResponseDto {
  @ApiProperty({ description: 'Items created (0 on a dry run)' }) created!: number;
  @ApiProperty({ description: 'Rows that passed every check' }) checked!: number;
  @ApiProperty() dryRun!: boolean;
}
