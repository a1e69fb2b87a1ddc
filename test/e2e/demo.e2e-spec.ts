import { Client } from 'pg';
import { loadConfig } from '@pavilion/config';
import { runMigrations } from '@pavilion/database';
import { migrations } from '../../migrations';
import { seedDemo } from '../../scripts/seed-demo';
import { TestApi } from '../support/api';
import { scratchDatabase } from '../support/scratch-database';

describe('demo programme', () => {
  // Seeding signs up fifteen accounts (argon2): slow on a loaded machine, so this test gets more time.
  it('loads the Days of Chelyabinsk Region once, obeying every rule, in Astana time of 2017', async () => {
    const db = await scratchDatabase('demo');
    try {
      await runMigrations(db.url, migrations, 'up');
      const config = loadConfig({
        ...process.env,
        DATABASE_URL: db.url,
        ADMIN_EMAIL: '',
        ADMIN_PASSWORD: '',
      });
      const seeded = await seedDemo(config);
      if (seeded === 'exists') throw new Error('a fresh database already had a programme');
      expect(await seedDemo(config)).toBe('exists');
      // Two demo people never share a name (accounts and speakers alike), before an API with
      // another ADMIN_EMAIL adds its own admin.
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query(
          'SELECT display_name AS name FROM users UNION ALL SELECT name FROM speakers',
        );
        const names = rows.map((r: { name: string }) => r.name);
        expect(names.length).toBeGreaterThan(20);
        expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
      } finally {
        await client.end();
      }

      const api = await TestApi.start({ DATABASE_URL: db.url });
      try {
        const day1 = await api.get(`/api/programmes/${seeded.programmeId}/items?date=2017-08-15`);
        expect(day1.status).toBe(200);
        const titles = day1.body.items.map((i: any) => i.title);
        expect(titles[0]).toContain('regional exposition');
        expect(titles).toEqual(
          expect.arrayContaining([
            'Opening of the Days of Chelyabinsk Region',
            'Business forum "Business energy — development energy"',
          ]),
        );
        expect(
          day1.body.items.every((i: any) => i.startsAt.endsWith('+06:00') && i.timezone === 'Asia/Almaty'),
        ).toBe(true);
        const day2 = await api.get(
          `/api/programmes/${seeded.programmeId}/items?date=2017-08-16&type=conference`,
        );
        expect(day2.body.items[0].title).toContain(
          'Future of alternative energy: realities and perspectives',
        );

        const organizer = await api.post('/api/auth/login', seeded.organizer);
        expect(organizer.body.user.role).toBe('organizer');
        const [b2b] = (await api.get(`/api/programmes/${seeded.programmeId}/items?type=b2b_meetings`)).body
          .items;
        expect(b2b).toMatchObject({ meetingMinutes: 20, space: { tables: 12 } });
        const stats = await api.get(`/api/items/${b2b.id}/b2b/stats`, { token: organizer.body.accessToken });
        expect(stats.body).toMatchObject({ participants: 12, requested: 6, accepted: 5, scheduled: 0 });
        const admin = await api.post('/api/auth/login', seeded.admin);
        expect(admin.body.user.role).toBe('admin');

        // Something open for registration, with a waitlist: the upcoming round table for two.
        const upcoming = (await api.get('/api/programmes')).body.items.find(
          (p: any) => p.title === 'Chelyabinsk Region business week',
        );
        const [table] = (await api.get(`/api/programmes/${upcoming.id}/items`)).body.items;
        expect(table).toMatchObject({ capacity: 2, registeredCount: 2, seatsLeft: 0, waitlistCount: 1 });
      } finally {
        await api.close();
      }
    } finally {
      await db.drop();
    }
  }, 180_000);
});
