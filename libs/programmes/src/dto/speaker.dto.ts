import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '@pavilion/core';
import { Speaker } from '../programme.entities';

export class CreateSpeakerDto {
  @ApiProperty({ example: 'Boris Dubrovsky' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiPropertyOptional({ example: 'Governor of Chelyabinsk Region' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  affiliation?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(320) email?: string;
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
}

export function mapSpeaker(s: Pick<Speaker, 'id' | 'name' | 'affiliation'>): SpeakerResponseDto {
  return { id: s.id, name: s.name, affiliation: s.affiliation };
}
