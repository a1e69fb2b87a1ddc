import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { formatVenueInstant, PageQueryDto } from '@pavilion/core';
import { ItemResponseDto } from '@pavilion/programmes';
import { RegistrationStatus } from '../registration-rules';
import { RegistrationRow } from '../registrations.repository';

const STATUSES = ['confirmed', 'waitlisted', 'cancelled'] as const;

export class RegistrationResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() itemId!: string;
  @ApiProperty({ enum: STATUSES }) status!: RegistrationStatus;
  @ApiPropertyOptional({ description: '1 = next to be promoted' }) waitlistPosition?: number;
  @ApiProperty({ description: 'Short code to check in with (also the QR payload)' }) checkInCode!: string;
}

export class MyRegistrationDto extends RegistrationResponseDto {
  @ApiProperty({ type: ItemResponseDto }) item!: ItemResponseDto;
}

export class RegistrantDto {
  @ApiProperty() id!: string;
  @ApiProperty() userId!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: STATUSES }) status!: RegistrationStatus;
  @ApiPropertyOptional() waitlistPosition?: number;
  @ApiProperty() checkInCode!: string;
  @ApiProperty({ nullable: true, type: String }) checkedInAt!: string | null;
  @ApiProperty() registeredAt!: string;
}

export class RegistrantsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: RegistrationStatus;
}

export class CheckInDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() registrationId?: string;
  @ApiPropertyOptional({ example: '7K3QX9TB' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z]{8}$/, { message: 'code must be the 8-character check-in code' })
  code?: string;
}

export function mapRegistration(
  row: Pick<RegistrationRow, 'id' | 'itemId' | 'status' | 'waitlistPosition' | 'checkInCode'>,
): RegistrationResponseDto {
  return {
    id: row.id,
    itemId: row.itemId,
    status: row.status,
    ...(row.waitlistPosition !== null && { waitlistPosition: row.waitlistPosition }),
    checkInCode: row.checkInCode,
  };
}

export function mapRegistrant(row: RegistrationRow, timezone: string): RegistrantDto {
  return {
    id: row.id,
    userId: row.userId,
    displayName: row.displayName,
    email: row.email,
    status: row.status,
    ...(row.waitlistPosition !== null && { waitlistPosition: row.waitlistPosition }),
    checkInCode: row.checkInCode,
    checkedInAt: row.checkedInAt ? formatVenueInstant(row.checkedInAt, timezone) : null,
    registeredAt: formatVenueInstant(row.createdAt, timezone),
  };
}
