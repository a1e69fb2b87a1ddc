import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { formatVenueInstant, formatWallClock, IsLocalDate, IsTimeZone } from '@pavilion/core';
import { OpeningHours, Pavilion, Space, SPACE_KINDS, SpaceKind, Venue } from '../venue.entities';

export class CreateVenueDto {
  @ApiProperty({ example: 'EXPO-2017' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty({ example: 'Astana' }) @IsString() @IsNotEmpty() @MaxLength(200) city!: string;
  @ApiProperty({ example: 'Kazakhstan' }) @IsString() @IsNotEmpty() @MaxLength(200) country!: string;
  @ApiProperty({ example: 'Asia/Almaty', description: 'IANA timezone' }) @IsTimeZone() timezone!: string;
}

export class OpeningHoursDto {
  @ApiPropertyOptional({
    example: '2017-08-15',
    description: 'One venue-local date (overrides the weekday rule)',
  })
  @IsOptional()
  @IsLocalDate()
  date?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 7, description: 'ISO weekday, 1 = Monday' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(7)
  weekday?: number;

  @ApiProperty({ example: '10:00' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'opens must be HH:mm' })
  opens!: string;

  @ApiProperty({ example: '22:00', description: "HH:mm, or '24:00' for midnight" })
  @Matches(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'closes must be HH:mm' })
  closes!: string;
}

export class CreatePavilionDto {
  @ApiProperty({ example: 'Russian Federation pavilion' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ type: [OpeningHoursDto] })
  @ValidateNested({ each: true })
  @Type(() => OpeningHoursDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(400)
  openingHours!: OpeningHoursDto[];
}

export class CreateSpaceDto {
  @ApiProperty({ example: 'Main hall' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty({ example: 300 }) @IsInt() @Min(1) @Max(1_000_000) capacity!: number;
  @ApiProperty({ enum: SPACE_KINDS }) @IsIn(SPACE_KINDS) kind!: SpaceKind;
  @ApiPropertyOptional({
    example: 40,
    description: 'b2b_zone only: meeting tables, numbered 1..tables (default 1)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  tables?: number;
}

export class UpdateVenueDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) city?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) country?: string;
  @ApiPropertyOptional({ description: 'IANA timezone; refused (409) while the venue has future items' })
  @IsOptional()
  @IsTimeZone()
  timezone?: string;
}

export class UpdatePavilionDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;

  @ApiPropertyOptional({ type: [OpeningHoursDto], description: 'Replaces all opening hours' })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => OpeningHoursDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(400)
  openingHours?: OpeningHoursDto[];

  @ApiPropertyOptional({
    description:
      'Future items the new hours leave outside are displaced (reason outside_opening_hours) for the scheduler to re-plan, instead of a 409 naming them',
  })
  @IsOptional()
  @IsBoolean()
  displace?: boolean;
}

export class UpdateSpaceDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ description: "Never below a future item's capacity (409 naming them)" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  capacity?: number;
}

export class VenueResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() city!: string;
  @ApiProperty() country!: string;
  @ApiProperty() timezone!: string;
  @ApiProperty() createdAt!: string;
}

export class OpeningHoursResponseDto {
  @ApiPropertyOptional() date?: string;
  @ApiPropertyOptional() weekday?: number;
  @ApiProperty() opens!: string;
  @ApiProperty() closes!: string;
}

export class PavilionResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() venueId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() timezone!: string;
  @ApiProperty({ type: [OpeningHoursResponseDto] }) openingHours!: OpeningHoursResponseDto[];
  @ApiProperty() createdAt!: string;
}

export class UpdatedPavilionResponseDto extends PavilionResponseDto {
  @ApiProperty({ type: [String], description: 'Items displaced by the new opening hours (displace: true)' })
  displacedItemIds!: string[];
}

export class SpaceResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() pavilionId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() capacity!: number;
  @ApiProperty({ enum: SPACE_KINDS }) kind!: SpaceKind;
  @ApiPropertyOptional({ description: 'b2b_zone: meeting tables' }) tables?: number;
}

export function mapVenue(venue: Venue): VenueResponseDto {
  return {
    id: venue.id,
    name: venue.name,
    city: venue.city,
    country: venue.country,
    timezone: venue.timezone,
    createdAt: formatVenueInstant(venue.createdAt, venue.timezone),
  };
}

export function mapOpeningHours(h: OpeningHours): OpeningHoursResponseDto {
  return {
    ...(h.onDate ? { date: h.onDate } : { weekday: h.weekday ?? undefined }),
    opens: formatWallClock(h.opensMinute),
    closes: formatWallClock(h.closesMinute),
  };
}

export function mapPavilion(pavilion: Pavilion, venue: Venue, hours: OpeningHours[]): PavilionResponseDto {
  return {
    id: pavilion.id,
    venueId: pavilion.venueId,
    name: pavilion.name,
    timezone: venue.timezone,
    openingHours: hours.map(mapOpeningHours),
    createdAt: formatVenueInstant(pavilion.createdAt, venue.timezone),
  };
}

export function mapSpace(space: Omit<Space, 'archivedAt'>): SpaceResponseDto {
  return {
    id: space.id,
    pavilionId: space.pavilionId,
    name: space.name,
    capacity: space.capacity,
    kind: space.kind,
    ...(space.tables !== null && { tables: space.tables }),
  };
}
