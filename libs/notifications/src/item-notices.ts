// The item and seat notices at send time, pure: whether one still holds, what it says (its context for the
// templates) and what its webhook carries. Meeting notices have theirs in meeting-notices.ts.
import { Locale } from '@pavilion/core';
import { ClaimedNotice, NoticeRegistration } from './delivery-ledger.repository';
import { Channel, ItemFacts, UserFacts } from './notice-facts';
import { ItemNoticeKind } from './notice-kinds';
import { NoticeContext, NoticeText, renderNotice } from './templates';

type Notice = ClaimedNotice['notice'];

/** The registration status each kind of notice assumes; a notice about another status is stale. */
const EXPECTED_REGISTRATION: Partial<Record<ItemNoticeKind, readonly string[]>> = {
  reminder: ['confirmed'],
  registration_confirmed: ['confirmed'],
  waitlist_promoted: ['confirmed'],
  waitlisted: ['waitlisted'],
  registration_cancelled: ['cancelled'],
  item_rescheduled: ['confirmed', 'waitlisted'],
  programme_unpublished: ['confirmed', 'waitlisted'],
};

/**
 * Why this message must not go out any more, or null. A reminder is never sent for a time that is no longer the
 * item's, nor while its programme is unpublished; the notice of an unpublication, not once it is published again.
 */
export function itemStaleReason(
  kind: ItemNoticeKind,
  channel: Channel,
  d: Notice,
  item: ItemFacts,
  user: UserFacts,
  registration: NoticeRegistration | null,
): string | null {
  const prefs = user.notificationPreferences;
  if (channel === 'email' && prefs.email === false) return 'email turned off';
  if (kind === 'item_cancelled') return null;
  if (item.status === 'cancelled') return 'item cancelled';
  if ((kind === 'reminder' || kind === 'item_rescheduled') && item.version !== d.itemVersion)
    return 'item changed since';
  if (kind === 'reminder' && prefs.reminders === false) return 'reminders turned off';
  if (kind === 'reminder' && item.programmeStatus !== 'published') return 'programme unpublished';
  if (kind === 'programme_unpublished' && item.programmeStatus === 'published')
    return 'programme published again';
  // Told to the organizers, or to a speaker, who hold no registration.
  if (kind === 'item_displaced' || d.speakerId) return null;
  if (!registration || !EXPECTED_REGISTRATION[kind]?.includes(registration.status))
    return `registration is ${registration?.status ?? 'gone'}`;
  return null;
}

/** The notice's subject and in-app text, rendered once per batch for everyone it says the same thing to. */
export function itemNoticeText(
  texts: Map<string, NoticeText>,
  kind: ItemNoticeKind,
  d: Notice,
  item: ItemFacts,
  locale: Locale,
  registration: NoticeRegistration | null,
): NoticeText {
  // Item facts are read once per batch, so the item's id stands for them; the rest is what varies by person.
  const key = [
    kind,
    locale,
    item.id,
    d.speakerId ? 'speaker' : '',
    d.offsetMinutes,
    registration?.waitlistPosition ?? '',
    d.previousSpaceName ?? '',
    JSON.stringify(d.payload),
  ].join('|');
  let text = texts.get(key);
  if (!text) {
    text = renderNotice(itemNoticeContext(kind, d, item, locale, registration));
    texts.set(key, text);
  }
  return text;
}

function itemNoticeContext(
  kind: ItemNoticeKind,
  d: Notice,
  item: ItemFacts,
  locale: Locale,
  registration: NoticeRegistration | null,
): NoticeContext {
  const previous = (d.payload.previous ?? null) as { startsAt: string; endsAt: string } | null;
  return {
    kind,
    locale,
    timezone: item.timezone,
    item: {
      title: item.title,
      venueName: item.venueName,
      pavilionName: item.pavilionName,
      city: item.venueCity,
      startsAt: item.startsAt,
      endsAt: item.endsAt,
      spaceName: item.spaceName,
    },
    previous: previous
      ? {
          startsAt: new Date(previous.startsAt),
          endsAt: new Date(previous.endsAt),
          spaceName: d.previousSpaceName ?? '',
        }
      : undefined,
    waitlistPosition: registration?.waitlistPosition ?? undefined,
    cancelReason: (d.payload.reason as string | undefined) ?? item.cancelReason ?? undefined,
    displacedBy: (d.payload.displacedBy as { detail: string }[] | undefined)?.map((r) => r.detail),
    offsetMinutes: kind === 'reminder' ? d.offsetMinutes : undefined,
    speaker: d.speakerId !== null,
  };
}

/** What a webhook message carries: the item as it is now, and the event's payload. */
export function webhookData(d: Notice, item: ItemFacts) {
  return {
    itemId: item.id,
    title: item.title,
    status: item.status,
    version: d.itemVersion,
    startsAt: item.startsAt.toISOString(),
    endsAt: item.endsAt.toISOString(),
    spaceId: item.spaceId,
    registrationId: d.registrationId,
    ...d.payload,
  };
}
