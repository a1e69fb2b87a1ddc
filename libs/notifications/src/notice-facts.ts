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

/** The SQL of an item's facts as notices need them (add a WHERE on `i`). */
export const ITEM_FACTS = `
  SELECT i.id, i.title, i.status, i.version, i.starts_at, i.ends_at, i.space_id, s.name AS space_name,
         pv.name AS pavilion_name, v.name AS venue_name, v.city AS venue_city, v.timezone, p.organization_id,
         p.reminder_offsets_minutes AS reminder_offsets, i.cancel_reason
    FROM programme_items i JOIN programmes p ON p.id = i.programme_id
    JOIN spaces s ON s.id = i.space_id JOIN pavilions pv ON pv.id = s.pavilion_id JOIN venues v ON v.id = pv.venue_id`;
