import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const ITEM_TYPES = [
  'regional_day',
  'opening_ceremony',
  'business_forum',
  'conference',
  'round_table',
  'b2b_meetings',
  'negotiations',
  'presentation',
  'exhibition',
  'other',
] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

export interface TimeRange {
  from: string;
  to: string;
}

/** What the scheduler must respect when it places the item (API.md); every field optional. Instants are ISO. */
export interface PlacementConstraints {
  spaceIds?: string[];
  spaceKinds?: string[];
  minSeats?: number;
  windows?: TimeRange[];
  after?: string[];
  notParallelWith?: string[];
  sameDayAs?: string[];
  preferredWindows?: TimeRange[];
  pinned?: boolean;
}

/** Why a placed item can no longer stay where it stands (API.md, displaced items). */
export interface DisplacedReason {
  code: 'space_closed' | 'speaker_unavailable' | 'outside_opening_hours';
  detail: string;
  closureId?: string;
  speakerId?: string;
}

export type ProgrammeStatus = 'draft' | 'published';
export type ItemStatus = 'scheduled' | 'cancelled' | 'unplaced';

@Entity('programmes')
export class Programme {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'organization_id' }) organizationId!: string;
  @Column('uuid', { name: 'pavilion_id' }) pavilionId!: string;
  @Column('text') title!: string;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('date', { name: 'starts_on' }) startsOn!: string;
  @Column('date', { name: 'ends_on' }) endsOn!: string;
  @Column('text', { array: true }) languages!: string[];
  @Column('integer', { name: 'reminder_offsets_minutes', array: true }) reminderOffsetsMinutes!: number[];
  @Column('text') status!: ProgrammeStatus;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('programme_items')
export class ProgrammeItem {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'programme_id' }) programmeId!: string;
  /** Null only while the item is `unplaced`. */
  @Column('uuid', { name: 'space_id', nullable: true }) spaceId!: string | null;
  @Column('text') type!: ItemType;
  @Column('text') title!: string;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('timestamptz', { name: 'starts_at', nullable: true }) startsAt!: Date | null;
  @Column('timestamptz', { name: 'ends_at', nullable: true }) endsAt!: Date | null;
  @Column('integer') capacity!: number;
  /** No capacity was given: the item takes its space's capacity whenever it is placed. */
  @Column('boolean', { name: 'capacity_from_space' }) capacityFromSpace!: boolean;
  /** The length an unplaced item asks for. */
  @Column('integer', { name: 'duration_minutes', nullable: true }) durationMinutes!: number | null;
  @Column('jsonb') placement!: PlacementConstraints;
  /** Empty unless the item is displaced; the database clears it when the item moves. */
  @Column('jsonb', { name: 'displaced_by' }) displacedBy!: DisplacedReason[];
  @Column('text', { array: true }) languages!: string[];
  @Column('boolean', { name: 'registration_required' }) registrationRequired!: boolean;
  @Column('timestamptz', { name: 'registration_opens_at', nullable: true }) registrationOpensAt!: Date | null;
  @Column('timestamptz', { name: 'registration_closes_at', nullable: true })
  registrationClosesAt!: Date | null;
  @Column('text') status!: ItemStatus;
  @Column('text', { name: 'cancel_reason', nullable: true }) cancelReason!: string | null;
  @Column('timestamptz', { name: 'cancelled_at', nullable: true }) cancelledAt!: Date | null;
  @Column('integer') version!: number;
  /** A B2B session (b2b_meetings in a b2b_zone): the length of its meeting slots. */
  @Column('integer', { name: 'meeting_minutes', nullable: true }) meetingMinutes!: number | null;
  @Column('integer', { name: 'requests_per_participant' }) requestsPerParticipant!: number;
  @Column('timestamptz', { name: 'requests_close_at', nullable: true }) requestsCloseAt!: Date | null;
  /** Maintained by the registrations lib under the item's row lock; read-only here. */
  @Column({ type: 'integer', name: 'confirmed_count', insert: false, update: false }) confirmedCount!: number;
  @Column({ type: 'integer', name: 'waitlist_count', insert: false, update: false }) waitlistCount!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('speakers')
export class Speaker {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) affiliation!: string | null;
  @Column('text', { nullable: true }) email!: string | null;
  /** ISO instants; null: available whenever the venue is open. */
  @Column('jsonb', { nullable: true }) availability!: TimeRange[] | null;
  /** Deleted while history still refers to it: hidden from lists and look-ups, refused for new use. */
  @Column('timestamptz', { name: 'archived_at', nullable: true }) archivedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
