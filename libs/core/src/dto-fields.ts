import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

// The validated fields that request DTOs of several libs share, each rule stack written once. Swagger's
// decorators stay beside each field: they carry its own example and description.

/**
 * Validation rules as one decorator, applied as if written in this order above the field (TypeScript applies the
 * lowest first, and class-validator lists a field's broken rules in the order they were applied).
 */
export const FieldRules = (...decorators: PropertyDecorator[]) => applyDecorators(...decorators.reverse());

/** How an instant may be written in a request. */
export const INSTANT_DOC =
  'ISO 8601; with an offset it is that instant, without one a wall time at the venue';

/** Text that must be given: a non-empty string of at most `max` characters. */
export const RequiredText = (max: number) => FieldRules(IsString(), IsNotEmpty(), MaxLength(max));

/** Text that may be left out (or null): a string of at most `max` characters. */
export const OptionalText = (max: number) => FieldRules(IsOptional(), IsString(), MaxLength(max));

/** An optional list of distinct ids, at most `max`. */
export const OptionalUuids = (max: number) =>
  FieldRules(IsOptional(), IsArray(), ArrayMaxSize(max), ArrayUnique(), IsUUID('all', { each: true }));

/** A span of time, from `from` to `to`, each written as INSTANT_DOC says. */
export class TimeRangeDto {
  @ApiProperty({ example: '2017-08-15T10:00', description: INSTANT_DOC })
  @IsString()
  @MaxLength(40)
  from!: string;
  @ApiProperty({ example: '2017-08-15T13:00', description: INSTANT_DOC })
  @IsString()
  @MaxLength(40)
  to!: string;
}

/** An optional list of at most `max` time ranges, each validated. */
export const OptionalTimeRanges = (max: number) =>
  FieldRules(
    IsOptional(),
    IsArray(),
    ArrayMaxSize(max),
    ValidateNested({ each: true }),
    Type(() => TimeRangeDto),
  );

/** Reminder offsets, minutes before an item starts: up to five distinct, each from a minute to 30 days. */
export const ReminderOffsets = () =>
  FieldRules(
    IsOptional(),
    IsArray(),
    ArrayMaxSize(5),
    ArrayUnique(),
    IsInt({ each: true }),
    Min(1, { each: true }),
    Max(60 * 24 * 30, { each: true }),
  );
