import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import {
  formatVenueInstant,
  INSTANT_DOC,
  IsLocalDate,
  OptionalText,
  OptionalTimeRanges,
  OptionalUuids,
  PageQueryDto,
  RequiredText,
  TimeRangeDto,
} from '@pavilion/core';
import { SpaceResponseDto } from '@pavilion/venues';
import {
  DisplacedReason,
  ITEM_TYPES,
  ItemStatus,
  ItemType,
  PlacementConstraints,
  ProgrammeItem,
} from '../programme.entities';
import { SPACE_KINDS } from '@pavilion/venues';
import { LANGUAGE_TAG, OptionalLanguageTags } from './programme.dto';
import { SpeakerResponseDto } from './speaker.dto';

/** Where the scheduler may put an item (API.md, Scheduling); `PATCH {placement}` replaces the whole object. */
export class PlacementDto {
  @ApiPropertyOptional({ type: [String] }) @OptionalUuids(200) spaceIds?: string[];
  @ApiPropertyOptional({ enum: SPACE_KINDS, isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(SPACE_KINDS, { each: true })
  spaceKinds?: string[];
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1_000_000) minSeats?: number;
  @ApiPropertyOptional({ type: [TimeRangeDto], description: 'Allowed time ranges' })
  @OptionalTimeRanges(200)
  windows?: TimeRangeDto[];
  @ApiPropertyOptional({ type: [String], description: 'Starts after each of these items ends' })
  @OptionalUuids(200)
  after?: string[];
  @ApiPropertyOptional({ type: [String] }) @OptionalUuids(200) notParallelWith?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Soft' }) @OptionalUuids(200) sameDayAs?: string[];
  @ApiPropertyOptional({ type: [TimeRangeDto], description: 'Soft' })
  @OptionalTimeRanges(200)
  preferredWindows?: TimeRangeDto[];
  @ApiPropertyOptional({ description: 'A placed item that no scheduling run may move' })
  @IsOptional()
  @IsBoolean()
  pinned?: boolean;
}

export class CreateItemDto {
  @ApiProperty({ enum: ITEM_TYPES }) @IsIn(ITEM_TYPES) type!: ItemType;
  @ApiProperty() @RequiredText(300) title!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @OptionalText(10_000) description?: string;
  @ApiPropertyOptional({
    description:
      'With startsAt and endsAt; leave all three out (and give durationMinutes) for an unplaced item',
  })
  @ValidateIf((o: CreateItemDto) => o.durationMinutes === undefined || o.spaceId !== undefined)
  @IsUUID()
  spaceId?: string;
  @ApiPropertyOptional({ example: '2017-08-15T10:00', description: INSTANT_DOC })
  @ValidateIf((o: CreateItemDto) => o.durationMinutes === undefined || o.startsAt !== undefined)
  @IsString()
  @MaxLength(40)
  startsAt?: string;
  @ApiPropertyOptional({ example: '2017-08-15T11:30', description: INSTANT_DOC })
  @ValidateIf((o: CreateItemDto) => o.durationMinutes === undefined || o.endsAt !== undefined)
  @IsString()
  @MaxLength(40)
  endsAt?: string;
  @ApiPropertyOptional({
    description: 'Instead of spaceId/startsAt/endsAt: an unplaced item of this length',
    example: 90,
  })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(1440)
  durationMinutes?: number;
  @ApiPropertyOptional({ type: PlacementDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlacementDto)
  placement?: PlacementDto;
  @ApiPropertyOptional({ description: "Defaults to the space's capacity" })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  capacity?: number;

  @ApiPropertyOptional({ type: [String] }) @OptionalUuids(50) speakerIds?: string[];

  @ApiPropertyOptional({ example: ['ru', 'en'] }) @OptionalLanguageTags() languages?: string[];

  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() registrationRequired?: boolean;
  @ApiPropertyOptional({ description: INSTANT_DOC, nullable: true, type: String })
  @OptionalText(40)
  registrationOpensAt?: string;
  @ApiPropertyOptional({ description: INSTANT_DOC, nullable: true, type: String })
  @OptionalText(40)
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
  @OptionalText(40)
  requestsCloseAt?: string | null;
}

export class UpdateItemDto extends PartialType(CreateItemDto) {}

export class CancelItemDto {
  @ApiProperty({ example: 'The speaker cannot travel' }) @RequiredText(2000) reason!: string;
}

export class ItemListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2017-08-15', description: 'Venue-local day' })
  @IsOptional()
  @IsLocalDate()
  date?: string;
  @ApiPropertyOptional({ enum: ITEM_TYPES }) @IsOptional() @IsIn(ITEM_TYPES) type?: ItemType;
  @ApiPropertyOptional() @IsOptional() @IsUUID() spaceId?: string;
  @ApiPropertyOptional({ example: 'ru' }) @IsOptional() @Matches(LANGUAGE_TAG) language?: string;
  @ApiPropertyOptional({ description: 'Words in the title or description' }) @OptionalText(200) q?: string;
}

export class ItemResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() programmeId!: string;
  @ApiProperty({ enum: ITEM_TYPES }) type!: ItemType;
  @ApiProperty() title!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Null while unplaced' }) spaceId!: string | null;
  @ApiProperty({ type: SpaceResponseDto, nullable: true }) space!: SpaceResponseDto | null;
  @ApiProperty({ example: '2017-08-15T10:00:00+06:00', nullable: true, type: String }) startsAt!:
    string | null;
  @ApiProperty({ example: '2017-08-15T11:30:00+06:00', nullable: true, type: String }) endsAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) durationMinutes!: number | null;
  @ApiProperty({ type: PlacementDto }) placement!: PlacementConstraints;
  @ApiPropertyOptional({ type: [Object], description: 'Manual placements that break no rule but a wish' })
  warnings?: ItemWarning[];
  @ApiProperty({ example: 'Asia/Almaty' }) timezone!: string;
  @ApiProperty() capacity!: number;
  @ApiProperty({ type: [SpeakerResponseDto] }) speakers!: SpeakerResponseDto[];
  @ApiProperty({ type: [String] }) languages!: string[];
  @ApiProperty() registrationRequired!: boolean;
  @ApiProperty({ nullable: true, type: String }) registrationOpensAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) registrationClosesAt!: string | null;
  @ApiProperty({ enum: ['scheduled', 'cancelled', 'unplaced'] }) status!: ItemStatus;
  @ApiProperty({ nullable: true, type: String }) cancelReason!: string | null;
  @ApiProperty({
    description: 'Placed where it can no longer stay (a closure, a speaker); until it is moved',
  })
  displaced!: boolean;
  @ApiProperty({
    type: [Object],
    description:
      "Why it is displaced: [{code: 'space_closed' | 'speaker_unavailable', detail, closureId?, speakerId?}]",
  })
  displacedBy!: DisplacedReason[];
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

export interface ItemWarning {
  code: 'speaker_unavailable';
  speakerId: string;
  detail: string;
}

export interface ItemView {
  item: ProgrammeItem;
  space: SpaceResponseDto | null;
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
    startsAt: at(item.startsAt),
    endsAt: at(item.endsAt),
    durationMinutes: item.durationMinutes,
    placement: item.placement,
    timezone,
    capacity: item.capacity,
    speakers,
    languages: item.languages,
    registrationRequired: item.registrationRequired,
    registrationOpensAt: at(item.registrationOpensAt),
    registrationClosesAt: at(item.registrationClosesAt),
    status: item.status,
    cancelReason: item.cancelReason,
    displaced: item.status === 'scheduled' && item.displacedBy.length > 0,
    displacedBy: item.status === 'scheduled' ? item.displacedBy : [],
    version: item.version,
    ...(item.meetingMinutes !== null && {
      meetingMinutes: item.meetingMinutes,
      requestsPerParticipant: item.requestsPerParticipant,
      requestsCloseAt: at(item.requestsCloseAt),
    }),
    registeredCount: item.confirmedCount,
    seatsLeft: item.status !== 'scheduled' ? 0 : Math.max(item.capacity - item.confirmedCount, 0),
    waitlistCount: item.waitlistCount,
    createdAt: formatVenueInstant(item.createdAt, timezone),
    updatedAt: formatVenueInstant(item.updatedAt, timezone),
  };
}
