import { Channel, NotificationPreferences } from './notice-facts';

/**
 * The ledger rows a person's message is written as. A person always hears in the app, and by e-mail unless they
 * turned it off. A message that goes by e-mail is written as its e-mail row alone: the row carries the in-app
 * notice, which the ledger writes (sent, under the same key) in the statement that finishes the letter's row.
 * A message with e-mail off is its in-app row.
 */
export function ledgerChannelsFor(emailOk: boolean): Channel[] {
  return emailOk ? ['email'] : ['in_app'];
}

export function personalLedgerChannels(person: {
  notificationPreferences: NotificationPreferences;
}): Channel[] {
  return ledgerChannelsFor(person.notificationPreferences.email !== false);
}
