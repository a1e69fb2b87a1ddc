// Who owns each table, and through which views a lib reads another lib's tables. table-owners.spec.ts holds the
// code to it: a lib's SQL names only its own tables and the views agreed for it, and every table and view the
// migrations create is listed here (a new table does not pass the test until it has an owner).

export type LibName =
  | 'auth'
  | 'config'
  | 'core'
  | 'database'
  | 'meetings'
  | 'notifications'
  | 'programmes'
  | 'registrations'
  | 'scheduling'
  | 'venues';

/** Each table and the one lib whose SQL may name it. */
export const TABLE_OWNERS: Record<string, LibName> = {
  venues: 'venues',
  pavilions: 'venues',
  opening_hours: 'venues',
  spaces: 'venues',
  programmes: 'programmes',
  programme_items: 'programmes',
  speakers: 'programmes',
  item_speakers: 'programmes',
  scheduling_runs: 'programmes',
  space_closures: 'programmes',
  programme_changes: 'programmes',
  item_public_states: 'programmes',
  users: 'auth',
  organizations: 'auth',
  organization_members: 'auth',
  password_resets: 'auth',
  registrations: 'registrations',
  favourites: 'registrations',
  outbox: 'database',
  webhooks: 'notifications',
  deliveries: 'notifications',
  reminder_fanouts: 'notifications',
  b2b_participants: 'meetings',
  b2b_requests: 'meetings',
  b2b_schedule_runs: 'meetings',
  b2b_meetings: 'meetings',
  person_commitments: 'meetings',
};

/**
 * Each view: the lib that owns the tables it shows (and answers for its shape), and the other libs that read it,
 * exactly (a reader that stops reading it is taken off the list).
 */
export const CONTRACT_VIEWS: Record<string, { owner: LibName; readers: LibName[] }> = {
  item_facts: { owner: 'programmes', readers: ['meetings', 'notifications', 'registrations'] },
  item_seats: { owner: 'programmes', readers: ['notifications', 'registrations'] },
  speaker_audience: { owner: 'programmes', readers: ['notifications'] },
  b2b_sessions: { owner: 'programmes', readers: ['meetings'] },
  b2b_item_titles: { owner: 'programmes', readers: ['meetings'] },
  space_places: { owner: 'venues', readers: ['notifications', 'programmes'] },
  pavilion_places: { owner: 'venues', readers: ['programmes'] },
  space_capacities: { owner: 'venues', readers: ['programmes'] },
  person_facts: { owner: 'auth', readers: ['notifications'] },
  organization_organizers: { owner: 'auth', readers: ['notifications'] },
  b2b_people: { owner: 'auth', readers: ['meetings'] },
  registration_audience: { owner: 'registrations', readers: ['notifications'] },
  meeting_commitments: { owner: 'meetings', readers: ['registrations'] },
  b2b_meeting_notice_facts: { owner: 'meetings', readers: ['notifications'] },
  b2b_request_notice_facts: { owner: 'meetings', readers: ['notifications'] },
};
