import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Locale, Role } from '@pavilion/core';

export interface NotificationPreferences {
  email: boolean;
  reminders: boolean;
  reminderOffsetsMinutes?: number[];
}

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') email!: string;
  @Column('text', { name: 'password_hash' }) passwordHash!: string;
  @Column('text', { name: 'display_name' }) displayName!: string;
  @Column('text') role!: Role;
  @Column('text') locale!: Locale;
  @Column('text', { nullable: true }) timezone!: string | null;
  @Column('jsonb', { name: 'notification_preferences' }) notificationPreferences!: NotificationPreferences;
  @Column('text', { name: 'calendar_feed_token' }) calendarFeedToken!: string;
  /** When the password last changed: credentials issued before it are refused. */
  @Column('timestamptz', { name: 'credentials_changed_at', nullable: true, select: true })
  credentialsChangedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('organizations')
export class Organization {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('organization_members')
export class OrganizationMember {
  @PrimaryColumn('uuid', { name: 'organization_id' }) organizationId!: string;
  @PrimaryColumn('uuid', { name: 'user_id' }) userId!: string;
  /** An organizer acts for the organization; a checker only checks people in for its items. */
  @Column('text') role!: 'organizer' | 'checker';
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
