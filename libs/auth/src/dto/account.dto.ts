import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsTimeZone, PageQueryDto, ReminderOffsets, Role, ROLES } from '@pavilion/core';
import { LOCALES, Locale } from '@pavilion/core';
import { NotificationPreferences, Organization, User } from '../account.entities';

export const PASSWORD_MIN_LENGTH = 10;
const normalizeEmail = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

export class SignupDto {
  @ApiProperty({ example: 'aigerim@example.org' })
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: `password must be at least ${PASSWORD_MIN_LENGTH} characters` })
  @MaxLength(256)
  password!: string;

  @ApiProperty({ example: 'Aigerim Nurlanovna' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  displayName!: string;
  @ApiPropertyOptional({ enum: LOCALES, default: 'en' }) @IsOptional() @IsIn(LOCALES) locale?: Locale;
  @ApiPropertyOptional({ example: 'Asia/Almaty' }) @IsOptional() @IsTimeZone() timezone?: string;
}

export class LoginDto {
  @ApiProperty() @Transform(normalizeEmail) @IsEmail() @MaxLength(320) email!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(256) password!: string;
}

export class NotificationPreferencesDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() email?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() reminders?: boolean;

  @ApiPropertyOptional({ type: [Number], description: 'Own reminder offsets, minutes before start' })
  @ReminderOffsets()
  reminderOffsetsMinutes?: number[];
}

export class UpdateMeDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) displayName?: string;
  @ApiPropertyOptional({ enum: LOCALES }) @IsOptional() @IsIn(LOCALES) locale?: Locale;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsTimeZone() timezone?: string | null;

  @ApiPropertyOptional({ type: NotificationPreferencesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => NotificationPreferencesDto)
  notificationPreferences?: NotificationPreferencesDto;
}

export class CreateOrganizationDto {
  @ApiProperty({ example: 'Government of Chelyabinsk Region' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
}

export class RenameOrganizationDto extends CreateOrganizationDto {}

export class UserListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Matches email or display name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
}

export class ChangeRoleDto {
  @ApiProperty({
    enum: ROLES,
    description:
      'attendee also ends every organization membership; organizer needs one (add the person to an organization)',
  })
  @IsIn(ROLES)
  role!: Role;
}

export class PasswordResetRequestDto {
  @ApiProperty({ example: 'aigerim@example.org' })
  @Transform(normalizeEmail)
  @IsEmail()
  @MaxLength(320)
  email!: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty({ description: 'The token from the letter' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(200)
  password!: string;
}

export class AddMemberDto {
  @ApiProperty() @Transform(normalizeEmail) @IsEmail() @MaxLength(320) email!: string;
}

export class UserResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ enum: LOCALES }) locale!: Locale;
  @ApiProperty({ nullable: true, type: String }) timezone!: string | null;
  @ApiProperty({ type: [String] }) organizationIds!: string[];
  @ApiProperty() createdAt!: string;
}

export class MeResponseDto extends UserResponseDto {
  @ApiProperty({ type: NotificationPreferencesDto }) notificationPreferences!: NotificationPreferences;
  @ApiProperty({ description: 'Secret of the personal calendar feed /api/me/agenda.ics?token=' })
  calendarFeedToken!: string;
}

export class AuthResponseDto {
  @ApiProperty({ type: UserResponseDto }) user!: UserResponseDto;
  @ApiProperty() accessToken!: string;
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn!: number;
}

export class OrganizationResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() createdAt!: string;
}

export class MemberResponseDto {
  @ApiProperty() organizationId!: string;
  @ApiProperty() userId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
}

export function mapUser(user: User, organizationIds: string[]): UserResponseDto {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    locale: user.locale,
    timezone: user.timezone,
    organizationIds,
    createdAt: user.createdAt.toISOString(),
  };
}

export function mapMe(user: User, organizationIds: string[]): MeResponseDto {
  return {
    ...mapUser(user, organizationIds),
    notificationPreferences: user.notificationPreferences,
    calendarFeedToken: user.calendarFeedToken,
  };
}

export function mapOrganization(o: Organization): OrganizationResponseDto {
  return { id: o.id, name: o.name, createdAt: o.createdAt.toISOString() };
}
