import { Locale } from '@pavilion/core';

// The words the notifications lib's repositories and services share: channels, and the facts of an item and a
// person as a notice names them (camelCase: the repositories alias their columns so).

export type Channel = 'email' | 'in_app' | 'webhook';

export interface ItemFacts {
  id: string;
  title: string;
  status: 'scheduled' | 'cancelled';
  version: number;
  startsAt: Date;
  endsAt: Date;
  spaceId: string;
  spaceName: string;
  pavilionName: string;
  venueName: string;
  venueCity: string;
  timezone: string;
  organizationId: string;
  /** Reminders and other notices about the programme's future wait while it is a draft again (unpublished). */
  programmeStatus: 'draft' | 'published';
  reminderOffsets: number[];
  cancelReason: string | null;
}

export interface NotificationPreferences {
  email?: boolean;
  reminders?: boolean;
  reminderOffsetsMinutes?: number[];
}

export interface UserFacts {
  id: string;
  email: string;
  displayName: string;
  locale: Locale;
  notificationPreferences: NotificationPreferences;
}

/** The SQL columns of a person's facts from the auth lib's person_facts view (alias `u`), named as UserFacts. */
export const USER_FACTS_COLUMNS = `u.id, u.email, u.display_name AS "displayName", u.locale,
  u.notification_preferences AS "notificationPreferences"`;

/** The SQL of a placed item's facts as notices need them, through the programmes lib's view (add `AND …` on `i`). */
export const ITEM_FACTS = `
  SELECT i.id, i.title, i.status, i.version, i.starts_at AS "startsAt", i.ends_at AS "endsAt", i.space_id AS "spaceId",
         i.space_name AS "spaceName", i.pavilion_name AS "pavilionName", i.venue_name AS "venueName",
         i.venue_city AS "venueCity", i.timezone, i.organization_id AS "organizationId",
         i.programme_status AS "programmeStatus",
         i.reminder_offsets AS "reminderOffsets", i.cancel_reason AS "cancelReason"
    FROM item_facts i WHERE i.space_id IS NOT NULL`;
