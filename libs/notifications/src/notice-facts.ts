import { OutboxKind } from '@pavilion/database';

// The words the notifications lib's repositories and services share: channels, kinds, and the facts of an item
// and a person as a notice names them.

export type Channel = 'email' | 'in_app' | 'webhook';
export type DeliveryKind = OutboxKind | 'reminder' | 'meeting_reminder';

export interface ItemFacts {
  id: string;
  title: string;
  status: 'scheduled' | 'cancelled';
  version: number;
  starts_at: Date;
  ends_at: Date;
  space_id: string;
  space_name: string;
  pavilion_name: string;
  venue_name: string;
  venue_city: string;
  timezone: string;
  organization_id: string;
  reminder_offsets: number[];
  cancel_reason: string | null;
}

export interface UserFacts {
  id: string;
  email: string;
  display_name: string;
  locale: 'en' | 'ru' | 'kk';
  notification_preferences: { email?: boolean; reminders?: boolean; reminderOffsetsMinutes?: number[] };
}

/** The SQL of a placed item's facts as notices need them, through the programmes lib's view (add `AND …` on `i`). */
export const ITEM_FACTS = `
  SELECT i.id, i.title, i.status, i.version, i.starts_at, i.ends_at, i.space_id, i.space_name, i.pavilion_name,
         i.venue_name, i.venue_city, i.timezone, i.organization_id, i.reminder_offsets, i.cancel_reason
    FROM item_facts i WHERE i.space_id IS NOT NULL`;
