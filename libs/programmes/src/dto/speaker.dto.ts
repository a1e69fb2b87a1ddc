import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '@pavilion/core';
import { Speaker, TimeRange } from '../programme.entities';

export class CreateSpeakerDto {
  @ApiProperty({ example: 'Boris Dubrovsky' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiPropertyOptional({ example: 'Governor of Chelyabinsk Region', nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  affiliation?: string;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;
}

export class AvailabilityRangeDto {
  @ApiProperty({ example: '2017-08-15T10:00:00+06:00' }) @IsISO8601({ strict: true }) from!: string;
  @ApiProperty({ example: '2017-08-15T18:00:00+06:00' }) @IsISO8601({ strict: true }) to!: string;
}

export class UpdateSpeakerDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ nullable: true, type: String })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsString()
  @MaxLength(300)
  affiliation?: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Told when their items move or are cancelled',
  })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string | null;
  @ApiPropertyOptional({
    type: [AvailabilityRangeDto],
    nullable: true,
    description: 'Replaces the ranges; null: always',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => AvailabilityRangeDto)
  availability?: AvailabilityRangeDto[] | null;
}

export class SpeakerListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Matches name or affiliation' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class SpeakerResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) affiliation!: string | null;
  @ApiPropertyOptional({ type: [AvailabilityRangeDto], nullable: true }) availability?: TimeRange[] | null;
}

export function mapSpeaker(
  s: Pick<Speaker, 'id' | 'name' | 'affiliation'> & { availability?: TimeRange[] | null },
): SpeakerResponseDto {
  return {
    id: s.id,
    name: s.name,
    affiliation: s.affiliation,
    ...(s.availability && { availability: s.availability }),
  };
}
