import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { formatVenueInstant, IsLocalDate, PageQueryDto } from '@pavilion/core';
import { SpaceResponseDto } from '@pavilion/venues';
import { ITEM_TYPES, ItemStatus, ItemType, ProgrammeItem } from '../programme.entities';
import { LANGUAGE_TAG } from './programme.dto';
import { SpeakerResponseDto } from './speaker.dto';

const INSTANT_DOC = 'ISO 8601; with an offset it is that instant, without one a wall time at the venue';

export class CreateItemDto {
  @ApiProperty({ enum: ITEM_TYPES }) @IsIn(ITEM_TYPES) type!: ItemType;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(300) title!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10_000) description?: string;
  @ApiProperty() @IsUUID() spaceId!: string;
  @ApiProperty({ example: '2017-08-15T10:00', description: INSTANT_DOC })
  @IsString()
  @MaxLength(40)
  startsAt!: string;
  @ApiProperty({ example: '2017-08-15T11:30', description: INSTANT_DOC })
  @IsString()
  @MaxLength(40)
  endsAt!: string;
  @ApiPropertyOptional({ description: "Defaults to the space's capacity" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  capacity?: number;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  speakerIds?: string[];

  @ApiPropertyOptional({ example: ['ru', 'en'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(LANGUAGE_TAG, { each: true, message: 'languages must be language tags such as en, ru, kk' })
  languages?: string[];

  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() registrationRequired?: boolean;
  @ApiPropertyOptional({ description: INSTANT_DOC })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  registrationOpensAt?: string;
  @ApiPropertyOptional({ description: INSTANT_DOC })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  registrationClosesAt?: string;

  @ApiPropertyOptional({ default: 20, description: 'B2B sessions (b2b_meetings in a b2b_zone): slot length' })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(240)
  meetingMinutes?: number;
  @ApiPropertyOptional({ default: 20, description: 'B2B sessions: live requests each participant may send' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  requestsPerParticipant?: number;
  @ApiPropertyOptional({
    description: `B2B sessions: no requests after this. ${INSTANT_DOC}`,
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  requestsCloseAt?: string | null;
}

export class UpdateItemDto extends PartialType(CreateItemDto) {}

export class CancelItemDto {
  @ApiProperty({ example: 'The speaker cannot travel' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class ItemListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2017-08-15', description: 'Venue-local day' })
  @IsOptional()
  @IsLocalDate()
  date?: string;
  @ApiPropertyOptional({ enum: ITEM_TYPES }) @IsOptional() @IsIn(ITEM_TYPES) type?: ItemType;
  @ApiPropertyOptional() @IsOptional() @IsUUID() spaceId?: string;
  @ApiPropertyOptional({ example: 'ru' }) @IsOptional() @Matches(LANGUAGE_TAG) language?: string;
  @ApiPropertyOptional({ description: 'Words in the title or description' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ItemResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() programmeId!: string;
  @ApiProperty({ enum: ITEM_TYPES }) type!: ItemType;
  @ApiProperty() title!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty() spaceId!: string;
  @ApiProperty({ type: SpaceResponseDto }) space!: SpaceResponseDto;
  @ApiProperty({ example: '2017-08-15T10:00:00+06:00' }) startsAt!: string;
  @ApiProperty({ example: '2017-08-15T11:30:00+06:00' }) endsAt!: string;
  @ApiProperty({ example: 'Asia/Almaty' }) timezone!: string;
  @ApiProperty() capacity!: number;
  @ApiProperty({ type: [SpeakerResponseDto] }) speakers!: SpeakerResponseDto[];
  @ApiProperty({ type: [String] }) languages!: string[];
  @ApiProperty() registrationRequired!: boolean;
  @ApiProperty({ nullable: true, type: String }) registrationOpensAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) registrationClosesAt!: string | null;
  @ApiProperty({ enum: ['scheduled', 'cancelled'] }) status!: ItemStatus;
  @ApiProperty({ nullable: true, type: String }) cancelReason!: string | null;
  @ApiProperty() version!: number;
  @ApiPropertyOptional({ description: 'B2B sessions only' }) meetingMinutes?: number;
  @ApiPropertyOptional({ description: 'B2B sessions only' }) requestsPerParticipant?: number;
  @ApiPropertyOptional({ description: 'B2B sessions only', nullable: true, type: String })
  requestsCloseAt?: string | null;
  @ApiProperty({ description: 'Confirmed registrations' }) registeredCount!: number;
  @ApiProperty() seatsLeft!: number;
  @ApiProperty() waitlistCount!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export interface ItemView {
  item: ProgrammeItem;
  space: SpaceResponseDto;
  speakers: SpeakerResponseDto[];
  timezone: string;
}

export function mapItem({ item, space, speakers, timezone }: ItemView): ItemResponseDto {
  const at = (d: Date | null) => (d ? formatVenueInstant(d, timezone) : null);
  return {
    id: item.id,
    programmeId: item.programmeId,
    type: item.type,
    title: item.title,
    description: item.description,
    spaceId: item.spaceId,
    space,
    startsAt: formatVenueInstant(item.startsAt, timezone),
    endsAt: formatVenueInstant(item.endsAt, timezone),
    timezone,
    capacity: item.capacity,
    speakers,
    languages: item.languages,
    registrationRequired: item.registrationRequired,
    registrationOpensAt: at(item.registrationOpensAt),
    registrationClosesAt: at(item.registrationClosesAt),
    status: item.status,
    cancelReason: item.cancelReason,
    version: item.version,
    ...(item.meetingMinutes !== null && {
      meetingMinutes: item.meetingMinutes,
      requestsPerParticipant: item.requestsPerParticipant,
      requestsCloseAt: at(item.requestsCloseAt),
    }),
    registeredCount: item.confirmedCount,
    seatsLeft: item.status === 'cancelled' ? 0 : Math.max(item.capacity - item.confirmedCount, 0),
    waitlistCount: item.waitlistCount,
    createdAt: formatVenueInstant(item.createdAt, timezone),
    updatedAt: formatVenueInstant(item.updatedAt, timezone),
  };
}
