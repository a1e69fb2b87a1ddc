import { CreateItemDto, ItemType } from '@pavilion/programmes';
import { SpaceKind } from '@pavilion/venues';

/** The Days of Chelyabinsk Region in the Russian Federation pavilion at EXPO-2017, Astana. */
export const demo = {
  venue: { name: 'EXPO-2017', city: 'Astana', country: 'Kazakhstan', timezone: 'Asia/Almaty' },
  pavilion: {
    name: 'Russian Federation pavilion',
    openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '10:00', closes: '22:00' })),
  },
  spaces: [
    { key: 'stage', name: 'Stage', capacity: 400, kind: 'stage' },
    { key: 'main', name: 'Main hall', capacity: 250, kind: 'hall' },
    { key: 'conference', name: 'Conference hall', capacity: 120, kind: 'conference_room' },
    { key: 'roundTable', name: 'Round table room', capacity: 40, kind: 'round_table' },
    { key: 'b2b', name: 'B2B zone', capacity: 60, kind: 'b2b_zone', tables: 12 },
    { key: 'exposition', name: 'Regional exposition', capacity: 300, kind: 'other' },
  ] satisfies { key: string; name: string; capacity: number; kind: SpaceKind; tables?: number }[],
  organization: 'Government of Chelyabinsk Region',
  speakers: [
    { key: 'governor', name: 'Boris Dubrovsky', affiliation: 'Governor of Chelyabinsk Region' },
    { key: 'akim', name: 'Asset Issekeshev', affiliation: 'Akim (mayor) of Astana' },
    { key: 'rector', name: 'Alexander Shestakov', affiliation: 'Rector, South Ural State University' },
    { key: 'energy', name: 'Elena Morozova', affiliation: 'Ural Energy Cluster' },
    { key: 'logistics', name: 'Daniyar Seitkali', affiliation: 'Astana International Airport' },
  ],
  programme: {
    title: 'Days of Chelyabinsk Region',
    description:
      'A week of the Chelyabinsk region at EXPO-2017: the opening of the regional days, the business forum, ' +
      'conferences, round tables, meetings with business and negotiations.',
    startsOn: '2017-08-15',
    endsOn: '2017-08-16',
    languages: ['ru', 'en', 'kk'],
  },
  items: [
    {
      space: 'exposition',
      type: 'regional_day',
      title: 'Day of Chelyabinsk Region: the regional exposition',
      startsAt: '2017-08-15T10:00',
      endsAt: '2017-08-15T20:00',
      registrationRequired: false,
      speakers: [],
      languages: ['ru', 'en'],
    },
    {
      space: 'stage',
      type: 'opening_ceremony',
      title: 'Opening of the Days of Chelyabinsk Region',
      startsAt: '2017-08-15T10:30',
      endsAt: '2017-08-15T11:30',
      speakers: ['governor', 'akim'],
      languages: ['ru', 'kk'],
    },
    {
      space: 'main',
      type: 'business_forum',
      title: 'Business forum "Business energy — development energy"',
      startsAt: '2017-08-15T12:00',
      endsAt: '2017-08-15T14:30',
      speakers: ['governor', 'energy'],
      languages: ['ru', 'en'],
    },
    {
      space: 'roundTable',
      type: 'round_table',
      title: 'Round table: smart city systems for the megalopolises of Kazakhstan and Russia',
      startsAt: '2017-08-15T15:00',
      endsAt: '2017-08-15T16:30',
      speakers: ['akim'],
      languages: ['ru'],
    },
    {
      space: 'conference',
      type: 'round_table',
      title: 'Round table: cooperation in machine-building',
      startsAt: '2017-08-15T15:00',
      endsAt: '2017-08-15T16:30',
      speakers: ['energy'],
      languages: ['ru', 'en'],
    },
    {
      space: 'b2b',
      type: 'b2b_meetings',
      title: 'Meetings with business: food products of the Chelyabinsk region for Kazakhstan',
      startsAt: '2017-08-15T15:00',
      endsAt: '2017-08-15T18:00',
      speakers: [],
      languages: ['ru', 'kk'],
    },
    {
      space: 'roundTable',
      type: 'negotiations',
      title: 'Negotiations: a direct air flight Astana — Chelyabinsk and the Ural highway',
      startsAt: '2017-08-15T17:00',
      endsAt: '2017-08-15T18:30',
      speakers: ['governor', 'akim', 'logistics'],
      languages: ['ru'],
    },
    {
      space: 'conference',
      type: 'conference',
      title:
        'International scientific and practical conference "Future of alternative energy: realities and perspectives"',
      startsAt: '2017-08-16T10:00',
      endsAt: '2017-08-16T13:00',
      speakers: ['rector', 'energy'],
      languages: ['ru', 'en', 'kk'],
    },
    {
      space: 'roundTable',
      type: 'round_table',
      title: 'Round table: experience of hosting the SCO and BRICS summits',
      startsAt: '2017-08-16T14:00',
      endsAt: '2017-08-16T15:30',
      speakers: ['akim'],
      languages: ['ru', 'en'],
    },
    {
      space: 'conference',
      type: 'conference',
      title: 'Future of alternative energy: section on solar and wind power',
      startsAt: '2017-08-16T14:00',
      endsAt: '2017-08-16T17:00',
      speakers: ['rector'],
      languages: ['ru', 'en'],
    },
  ] satisfies (Omit<CreateItemDto, 'spaceId' | 'speakerIds'> & {
    space: string;
    type: ItemType;
    speakers: string[];
  })[],
};

export const demoAccounts = {
  admin: { email: 'admin@pavilion.local', password: 'pavilion-admin-2017' },
  organizer: {
    email: 'organizer@chelyabinsk.local',
    password: 'chelyabinsk-days-2017',
    displayName: 'Chelyabinsk organizing team',
  },
  attendee: { email: 'visitor@pavilion.local', password: 'expo-guest-2017', displayName: 'Aigerim Visitor' },
  /** Two more visitors, for the upcoming round table's waitlist. */
  visitors: [
    { email: 'timur@pavilion.local', password: 'expo-guest-2017', displayName: 'Timur Bekov', locale: 'ru' },
    { email: 'olga@pavilion.local', password: 'expo-guest-2017', displayName: 'Olga Smirnova', locale: 'en' },
  ] as const,
};

/**
 * An upcoming programme in the same pavilion, so that the demo has something open for registration: a round
 * table for two, which the three demo visitors registered for in turn (two confirmed, one on the waitlist).
 */
export const demoUpcoming = {
  programme: {
    title: 'Chelyabinsk Region business week',
    startsOn: '2031-06-02',
    endsOn: '2031-06-03',
    languages: ['ru', 'en'],
  },
  item: {
    space: 'roundTable',
    type: 'round_table' as ItemType,
    title: 'Round table: tourism between the Urals and Astana',
    startsAt: '2031-06-02T11:00',
    endsAt: '2031-06-02T12:30',
    capacity: 2,
    languages: ['ru', 'kk'],
  },
};
