import { JoinSessionDto } from '@pavilion/meetings';

/**
 * The B2B session of the demo ("Meetings with business", 15 August 2017): a dozen companies from both sides and a
 * few requests between them, accepted except the last.
 */
export const demoB2b = {
  password: 'b2b-meetings-2017',
  companies: [
    {
      key: 'pipes',
      person: 'Sergei Volkov',
      name: 'Ural Pipe Works',
      locale: 'ru',
      profile: {
        company: 'Ural Pipe Works',
        position: 'Export director',
        sector: 'metallurgy',
        offers: ['steel pipes'],
        seeks: ['oil and gas customers'],
        languages: ['ru', 'en'],
      },
    },
    {
      key: 'pasta',
      person: 'Irina Kuznetsova',
      name: 'South Ural Pasta',
      locale: 'ru',
      profile: {
        company: 'South Ural Pasta',
        position: 'Sales manager',
        sector: 'food',
        offers: ['pasta', 'flour'],
        seeks: ['wholesale distribution'],
        languages: ['ru'],
      },
    },
    {
      key: 'dairy',
      person: 'Pavel Lebedev',
      name: 'Chelyabinsk Dairy Cooperative',
      locale: 'ru',
      profile: {
        company: 'Chelyabinsk Dairy Cooperative',
        sector: 'food',
        offers: ['dairy products'],
        seeks: ['retail chains'],
        languages: ['ru'],
      },
    },
    {
      key: 'steel',
      person: 'Marina Orlova',
      name: 'Magnitka Steel Trading',
      locale: 'ru',
      profile: {
        company: 'Magnitka Steel Trading',
        sector: 'metallurgy',
        offers: ['rolled steel'],
        seeks: ['construction companies'],
        languages: ['ru', 'kk'],
      },
    },
    {
      key: 'solar',
      person: 'Dmitry Sokolov',
      name: 'Ural Energy Cluster',
      locale: 'ru',
      profile: {
        company: 'Ural Energy Cluster',
        sector: 'energy',
        offers: ['solar panels', 'energy audits'],
        seeks: ['industrial customers'],
        languages: ['ru', 'en'],
      },
    },
    {
      key: 'susu',
      person: 'Natalia Popova',
      name: 'South Ural State University',
      locale: 'ru',
      profile: {
        company: 'South Ural State University',
        position: 'Vice-rector',
        sector: 'education',
        offers: ['engineering training'],
        seeks: ['industrial partners'],
        languages: ['ru', 'en'],
      },
    },
    {
      key: 'foods',
      person: 'Yerlan Abenov',
      name: 'Astana Foods Distribution',
      locale: 'kk',
      profile: {
        company: 'Astana Foods Distribution',
        sector: 'trade',
        offers: ['wholesale distribution', 'retail chains'],
        seeks: ['pasta', 'dairy products'],
        languages: ['kk', 'ru'],
      },
    },
    {
      key: 'build',
      person: 'Gulnara Sarsenova',
      name: 'Karaganda Construction',
      locale: 'kk',
      profile: {
        company: 'Karaganda Construction',
        sector: 'construction',
        offers: ['construction companies'],
        seeks: ['rolled steel', 'steel pipes'],
        languages: ['kk', 'ru'],
      },
    },
    {
      key: 'rail',
      person: 'Askar Nurlanov',
      name: 'Steppe Rail Logistics',
      locale: 'kk',
      profile: {
        company: 'Steppe Rail Logistics',
        sector: 'logistics',
        offers: ['rail logistics'],
        seeks: ['food exporters'],
        languages: ['kk', 'ru'],
      },
    },
    {
      key: 'power',
      person: 'Madina Zhaksylykova',
      name: 'Pavlodar Power',
      locale: 'ru',
      profile: {
        company: 'Pavlodar Power',
        sector: 'energy',
        offers: ['industrial customers'],
        seeks: ['solar panels'],
        languages: ['ru', 'kk'],
      },
    },
    {
      key: 'oil',
      person: 'Bolat Tokayev',
      name: 'Nur Oil Services',
      locale: 'en',
      profile: {
        company: 'Nur Oil Services',
        sector: 'oil and gas',
        offers: ['oil and gas customers'],
        seeks: ['steel pipes'],
        languages: ['en', 'ru'],
      },
    },
    {
      key: 'tech',
      person: 'Saule Akhmetova',
      name: 'Astana Tech Park',
      locale: 'kk',
      profile: {
        company: 'Astana Tech Park',
        sector: 'education',
        offers: ['industrial partners'],
        seeks: ['engineering training'],
        languages: ['kk', 'en'],
      },
    },
  ] satisfies {
    key: string;
    person: string;
    name: string;
    locale: 'en' | 'ru' | 'kk';
    profile: JoinSessionDto;
  }[],
  /** [from, to, accepted?] */
  requests: [
    ['pasta', 'foods', true],
    ['dairy', 'foods', true],
    ['pipes', 'oil', true],
    ['steel', 'build', true],
    ['tech', 'susu', true],
    ['solar', 'power', false],
  ] as [string, string, boolean][],
};
