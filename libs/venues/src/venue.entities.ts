import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const SPACE_KINDS = ['hall', 'conference_room', 'round_table', 'b2b_zone', 'stage', 'other'] as const;
export type SpaceKind = (typeof SPACE_KINDS)[number];

@Entity('venues')
export class Venue {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') city!: string;
  @Column('text') country!: string;
  @Column('text') timezone!: string;
  /** Deleted while history still refers to it: hidden from lists and look-ups, refused for new use. */
  @Column('timestamptz', { name: 'archived_at', nullable: true }) archivedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('pavilions')
export class Pavilion {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'venue_id' }) venueId!: string;
  @Column('text') name!: string;
  /** Deleted while history still refers to it: hidden from lists and look-ups, refused for new use. */
  @Column('timestamptz', { name: 'archived_at', nullable: true }) archivedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('opening_hours')
export class OpeningHours {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'pavilion_id' }) pavilionId!: string;
  @Column('smallint', { nullable: true }) weekday!: number | null;
  @Column('date', { name: 'on_date', nullable: true }) onDate!: string | null;
  @Column('smallint', { name: 'opens_minute' }) opensMinute!: number;
  @Column('smallint', { name: 'closes_minute' }) closesMinute!: number;
}

@Entity('spaces')
export class Space {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'pavilion_id' }) pavilionId!: string;
  @Column('text') name!: string;
  @Column('integer') capacity!: number;
  @Column('text') kind!: SpaceKind;
  /** b2b_zone: meeting tables, numbered 1..tables. */
  @Column('integer', { nullable: true }) tables!: number | null;
  /** Deleted while history still refers to it: hidden from lists and look-ups, refused for new use. */
  @Column('timestamptz', { name: 'archived_at', nullable: true }) archivedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** A space with what rules about it need: its pavilion and the venue's timezone. */
export interface SpaceInVenue {
  space: Space;
  pavilion: Pavilion;
  venue: Venue;
}
