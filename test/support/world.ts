import { randomUUID } from 'node:crypto';
import { TestApi } from './api';

export const ADMIN = { email: 'admin@e2e.test', password: 'e2e-admin-password' };
const unique = () => randomUUID().slice(0, 8);

export interface Organizer {
  organization: any;
  token: string;
  email: string;
}

export interface VenueTree {
  venue: any;
  pavilion: any;
  hall: any;
  room: any;
}

/** Builds what a test needs through the public API, with names of its own so tests never collide. */
export class World {
  private admin?: string;

  constructor(readonly api: TestApi) {}

  async adminToken(): Promise<string> {
    if (!this.admin) {
      const res = await this.api.post('/api/auth/login', ADMIN);
      if (res.status !== 200) throw new Error(`admin login failed: ${res.text}`);
      this.admin = res.body.accessToken as string;
    }
    return this.admin;
  }

  async venueTree(options: { timezone?: string; openingHours?: unknown[] } = {}): Promise<VenueTree> {
    const token = await this.adminToken();
    const venue = await this.ok(
      this.api.post(
        '/api/venues',
        {
          name: `Venue ${unique()}`,
          city: 'Astana',
          country: 'Kazakhstan',
          timezone: options.timezone ?? 'Asia/Almaty',
        },
        { token },
      ),
    );
    const openingHours =
      options.openingHours ??
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '09:00', closes: '21:00' }));
    const pavilion = await this.ok(
      this.api.post(
        `/api/venues/${venue.id}/pavilions`,
        { name: `Pavilion ${unique()}`, openingHours },
        { token },
      ),
    );
    const hall = await this.ok(
      this.api.post(
        `/api/pavilions/${pavilion.id}/spaces`,
        { name: 'Hall', capacity: 100, kind: 'hall' },
        { token },
      ),
    );
    const room = await this.ok(
      this.api.post(
        `/api/pavilions/${pavilion.id}/spaces`,
        { name: 'Room', capacity: 20, kind: 'round_table' },
        { token },
      ),
    );
    return { venue, pavilion, hall, room };
  }

  async signup(
    overrides: Record<string, unknown> = {},
  ): Promise<{ token: string; user: any; email: string; password: string }> {
    const email = `person-${unique()}@e2e.test`;
    const password = 'correct horse battery';
    const res = await this.ok(
      this.api.post('/api/auth/signup', { email, password, displayName: 'Test Person', ...overrides }),
    );
    return { token: res.accessToken, user: res.user, email, password };
  }

  /** An organization with one organizer member, signed in. */
  async organizer(): Promise<Organizer> {
    const admin = await this.adminToken();
    const organization = await this.ok(
      this.api.post('/api/organizations', { name: `Organization ${unique()}` }, { token: admin }),
    );
    const person = await this.signup();
    await this.ok(
      this.api.post(
        `/api/organizations/${organization.id}/members`,
        { email: person.email },
        { token: admin },
      ),
    );
    const login = await this.ok(
      this.api.post('/api/auth/login', { email: person.email, password: person.password }),
    );
    return { organization, token: login.accessToken, email: person.email };
  }

  async programme(
    organizer: { organization: any; token: string },
    pavilion: any,
    options: { startsOn?: string; endsOn?: string; publish?: boolean } = {},
  ): Promise<any> {
    const programme = await this.ok(
      this.api.post(
        '/api/programmes',
        {
          organizationId: organizer.organization.id,
          pavilionId: pavilion.id,
          title: `Programme ${unique()}`,
          startsOn: options.startsOn ?? '2017-08-15',
          endsOn: options.endsOn ?? '2017-08-16',
          languages: ['ru', 'en'],
        },
        { token: organizer.token },
      ),
    );
    if (options.publish)
      return this.ok(
        this.api.post(`/api/programmes/${programme.id}/publish`, {}, { token: organizer.token }),
      );
    return programme;
  }

  /** An item of `programme`, created with `body` by one of its organizers (`token`). */
  async item(token: string, programme: { id: string }, body: Record<string, unknown>): Promise<any> {
    return this.ok(this.api.post(`/api/programmes/${programme.id}/items`, body, { token }));
  }

  async speaker(token: string, name = `Speaker ${unique()}`): Promise<any> {
    return this.ok(this.api.post('/api/speakers', { name, affiliation: 'E2E' }, { token }));
  }

  /** Unwraps a 2xx body or fails with what the API said. */
  async ok<T = any>(pending: Promise<{ status: number; body: T; text: string }>): Promise<T> {
    const res = await pending;
    if (res.status < 200 || res.status >= 300)
      throw new Error(`expected 2xx, got ${res.status}: ${res.text}`);
    return res.body;
  }
}

/**
 * The start of most e2e suites, in their `beforeAll`: an API of the suite's own (with `env` over the run's
 * settings) and a World on it; the suite closes `api` in its `afterAll`.
 */
export async function startWorld(env: Record<string, string> = {}): Promise<{ api: TestApi; world: World }> {
  const api = await TestApi.start(env);
  return { api, world: new World(api) };
}

/** The same, with a venue tree (hall and room) and a signed-in organizer: where programme suites begin. */
export async function startPlacedWorld(
  env: Record<string, string> = {},
): Promise<{ api: TestApi; world: World; tree: VenueTree; organizer: Organizer }> {
  const { api, world } = await startWorld(env);
  return { api, world, tree: await world.venueTree(), organizer: await world.organizer() };
}
