import { JwtService } from '@nestjs/jwt';
import { Client } from 'pg';
import { expectProblem, TestApi } from '../support/api';
import { ADMIN, startWorld, World } from '../support/world';

describe('accounts: sign-up, login, tokens and profile', () => {
  let api: TestApi;
  let world: World;

  beforeAll(async () => {
    ({ api, world } = await startWorld());
  });
  afterAll(() => api.close());

  it('signs up an attendee who can read and edit their profile', async () => {
    const res = await api.post('/api/auth/signup', {
      email: '  Aigerim.N@Example.ORG ',
      password: 'steppe wind 2017',
      displayName: 'Aigerim',
      locale: 'kk',
      timezone: 'Asia/Almaty',
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({
      email: 'aigerim.n@example.org',
      role: 'attendee',
      locale: 'kk',
      timezone: 'Asia/Almaty',
    });
    expect(res.body.user.passwordHash).toBeUndefined();
    const token = res.body.accessToken;
    const me = await world.ok(api.get('/api/me', { token }));
    expect(me).toMatchObject({
      email: 'aigerim.n@example.org',
      notificationPreferences: { email: true, reminders: true },
    });
    expect(me.calendarFeedToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const patched = await world.ok(
      api.patch(
        '/api/me',
        { locale: 'ru', notificationPreferences: { reminders: false, reminderOffsetsMinutes: [30] } },
        { token },
      ),
    );
    expect(patched).toMatchObject({
      locale: 'ru',
      notificationPreferences: { email: true, reminders: false, reminderOffsetsMinutes: [30] },
    });
    expectProblem(await api.patch('/api/me', { locale: 'de' }, { token }), 400);
    expectProblem(await api.patch('/api/me', { role: 'admin' }, { token }), 400);

    const rotated = await world.ok(api.post('/api/me/calendar-feed-token', {}, { token }));
    expect(rotated.calendarFeedToken).not.toBe(me.calendarFeedToken);
  });

  it('refuses a second account with the same email in any case', async () => {
    const { email } = await world.signup();
    const res = await api.post('/api/auth/signup', {
      email: email.toUpperCase(),
      password: 'another good password',
      displayName: 'Twin',
    });
    expectProblem(res, 409);
  });

  it('refuses weak passwords with a 400 that says why', async () => {
    const short = await api.post('/api/auth/signup', {
      email: 'short@e2e.test',
      password: 'abc123',
      displayName: 'S',
    });
    expectProblem(short, 400);
    expect(short.body.errors[0]).toMatchObject({
      field: 'password',
      message: expect.stringContaining('at least 10'),
    });
    const own = await api.post('/api/auth/signup', {
      email: 'marat.s@e2e.test',
      password: 'marat.s-1234567',
      displayName: 'M',
    });
    expectProblem(own, 400);
    const repeated = await api.post('/api/auth/signup', {
      email: 'rep@e2e.test',
      password: 'aaaaaaaaaaaa',
      displayName: 'R',
    });
    expectProblem(repeated, 400);
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const { email } = await world.signup();
    const wrong = await api.post('/api/auth/login', { email, password: 'not the password' });
    const unknown = await api.post('/api/auth/login', {
      email: 'nobody@e2e.test',
      password: 'not the password',
    });
    expectProblem(wrong, 401);
    expectProblem(unknown, 401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it('refuses tampered, unsigned, expired tokens and tokens of deleted users', async () => {
    const person = await world.signup();
    const [header, payload] = person.token.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ sub: person.user.id, exp: 9999999999 })).toString('base64url')}.${person.token.split('.')[2]}`;
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    const expired = new JwtService().sign(
      { sub: person.user.id, exp: Math.floor(Date.now() / 1000) - 60 },
      { secret: process.env.JWT_SECRET, algorithm: 'HS256' },
    );
    const foreign = new JwtService().sign(
      { sub: person.user.id },
      { secret: 'some-other-secret-some-other-secret', algorithm: 'HS256' },
    );
    for (const token of [tampered, unsigned, expired, foreign, 'garbage'])
      expectProblem(await api.get('/api/me', { token }), 401);
    expectProblem(await api.get('/api/me', { headers: { authorization: 'Basic abc' } }), 401);

    expect((await api.get('/api/me', { token: person.token })).status).toBe(200);
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    await db.query('DELETE FROM users WHERE id = $1', [person.user.id]);
    await db.end();
    expectProblem(await api.get('/api/me', { token: person.token }), 401);
  });

  it('creates the admin once and never overwrites it', async () => {
    const again = await TestApi.start({ ADMIN_PASSWORD: 'a-different-admin-password' });
    try {
      expectProblem(
        await again.post('/api/auth/login', { email: ADMIN.email, password: 'a-different-admin-password' }),
        401,
      );
      const login = await world.ok(again.post('/api/auth/login', ADMIN));
      expect(login.user.role).toBe('admin');
    } finally {
      await again.close();
    }
  });

  it('makes a member of an organization its organizer', async () => {
    const admin = await world.adminToken();
    const person = await world.signup();
    const organization = await world.ok(
      api.post('/api/organizations', { name: `Chamber ${person.user.id}` }, { token: admin }),
    );
    expectProblem(
      await api.post('/api/organizations', { name: `CHAMBER ${person.user.id}` }, { token: admin }),
      409,
    );
    const member = await world.ok(
      api.post(`/api/organizations/${organization.id}/members`, { email: person.email }, { token: admin }),
    );
    expect(member).toMatchObject({ organizationId: organization.id, userId: person.user.id });
    expectProblem(
      await api.post(
        `/api/organizations/${organization.id}/members`,
        { email: person.email },
        { token: admin },
      ),
      409,
    );
    expectProblem(
      await api.post(
        `/api/organizations/${organization.id}/members`,
        { email: 'ghost@e2e.test' },
        { token: admin },
      ),
      404,
    );
    const me = await world.ok(api.get('/api/me', { token: person.token }));
    expect(me).toMatchObject({ role: 'organizer', organizationIds: [organization.id] });
    const mine = await world.ok(api.get('/api/organizations', { token: person.token }));
    expect(mine.items.map((o: any) => o.id)).toEqual([organization.id]);
  });

  it('sends security headers and answers CORS only for configured origins', async () => {
    const res = await api.get('/health/live');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toContain('max-age');
    expect(
      (await api.get('/health/live', { headers: { origin: 'https://evil.example' } })).headers.get(
        'access-control-allow-origin',
      ),
    ).toBeNull();
    const cors = await TestApi.start({ CORS_ORIGINS: 'https://app.pavilion.example' });
    try {
      const allowed = await cors.get('/health/live', { headers: { origin: 'https://app.pavilion.example' } });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.pavilion.example');
    } finally {
      await cors.close();
    }
  });
});

describe('accounts: rate limits (Redis-backed, shared by replicas)', () => {
  it('locks an email and address out after LOGIN_RATE_LIMIT failures, even with the right password', async () => {
    const env = { LOGIN_RATE_LIMIT: '3', QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-login` };
    const [a, b] = [await TestApi.start(env), await TestApi.start(env)];
    try {
      const person = await new World(a).signup();
      for (const replica of [a, b, a])
        expectProblem(
          await replica.post('/api/auth/login', { email: person.email, password: 'wrong password!' }),
          401,
        );
      const locked = await b.post('/api/auth/login', { email: person.email, password: person.password });
      expectProblem(locked, 429);
      expect(locked.headers.get('retry-after')).toBeTruthy();
      const other = await new World(a).signup();
      expect((await a.post('/api/auth/login', { email: other.email, password: other.password })).status).toBe(
        200,
      );
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('limits sign-ups per address per hour with SIGNUP_RATE_LIMIT', async () => {
    const api = await TestApi.start({
      SIGNUP_RATE_LIMIT: '2',
      QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-signup`,
    });
    try {
      const world = new World(api);
      await world.signup();
      await world.signup();
      const third = await api.post('/api/auth/signup', {
        email: 'third@e2e.test',
        password: 'a fine password',
        displayName: 'T',
      });
      expectProblem(third, 429);
    } finally {
      await api.close();
    }
  });
});
