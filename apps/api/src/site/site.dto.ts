import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsLocalDate, LOCALES, Locale } from '@pavilion/core';
import { ITEM_TYPES, ItemType } from '@pavilion/programmes';

// An empty select ("Any") submits `type=`: that means no filter, not a bad value.
const emptyIsAbsent = () => Transform(({ value }) => (value === '' ? undefined : value));

export class SiteQueryDto {
  @IsOptional() @emptyIsAbsent() @IsIn(LOCALES) lang?: Locale;
}

export class ProgrammePageQueryDto extends SiteQueryDto {
  @IsOptional() @emptyIsAbsent() @IsLocalDate() day?: string;
  @IsOptional() @emptyIsAbsent() @IsIn(ITEM_TYPES) type?: ItemType;
  @IsOptional()
  @emptyIsAbsent()
  @MaxLength(35)
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, { message: 'must be a language tag such as ru or kk' })
  language?: string;
  @IsOptional() @emptyIsAbsent() @IsUUID() space?: string;
}
