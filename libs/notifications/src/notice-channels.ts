import { Channel, NotificationPreferences } from './notice-facts';

/** The channels a person hears on: always in the app, and by email unless they turned it off. */
export function channelsFor(emailOk: boolean): Channel[] {
  return emailOk ? ['in_app', 'email'] : ['in_app'];
}

export function personalChannels(person: { notificationPreferences: NotificationPreferences }): Channel[] {
  return channelsFor(person.notificationPreferences.email !== false);
}
