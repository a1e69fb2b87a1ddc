import { randomUUID } from 'node:crypto';
import { expectProblem, TestApi } from '../support/api';
import { ReceivedMail, SmtpSink } from '../support/smtp-sink';
import { World } from '../support/world';

/** Password reset by e-mail through the real SMTP sink: request, letter, token use, reuse, expiry, revocation. */
describe('password reset', () => {
  let sink: SmtpSink;
  let api: TestApi;
  let world: World;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    api = await TestApi.start({
      SMTP_URL: sink.url,
      PASSWORD_RESET_RATE_LIMIT: '1000',
      QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-reset`,
    });
    world = new World(api);
  });
  afterAll(async () => {
    await api.close();
    await sink.close();
  });

  const letterTo = async (email: string, count = 1): Promise<ReceivedMail> => {
    await sink.waitFor(
      (all) => all.filter((m) => m.to === email).length >= count,
      10_000,
      `letter to ${email}`,
    );
    return sink.to(email)[count - 1];
  };
  const tokenIn = (mail: ReceivedMail) => {
    const match = /^([A-Za-z0-9_-]{43})$/m.exec(mail.text);
    if (!match) throw new Error(`no token in: ${mail.text}`);
    return match[1];
  };
  const cookieOf = (res: { headers: Headers }) => (res.headers.get('set-cookie') ?? '').split(';')[0];

  it('answers 202 alike for known and unknown addresses; the letter carries a single-use token; the new password works and older credentials die', async () => {
    const admin = await world.adminToken();
    const person = await world.signup({ locale: 'ru', displayName: 'Алия' });
    // An admin, so the access token, a site session (which holds one) and the dashboard cookie can all be tried.
    await world.ok(api.patch(`/api/users/${person.user.id}`, { role: 'admin' }, { token: admin }));
    const before = await world.ok(
      api.post('/api/auth/login', { email: person.email, password: person.password }),
    );
    const signIn = await api.post('/admin/sign-in', { email: person.email, password: person.password });
    expect(signIn.status).toBe(204);
    const dashboardCookie = { cookie: cookieOf(signIn) };
    const siteCookie = { cookie: `pavilion_session=${before.accessToken}` };
    expect((await api.get('/admin/queues', { headers: dashboardCookie })).status).toBe(200);
    expect((await api.get('/admin/queues', { headers: siteCookie })).status).toBe(200);

    const known = await api.post('/api/auth/password-reset', { email: person.email.toUpperCase() });
    const unknown = await api.post('/api/auth/password-reset', { email: `nobody-${randomUUID()}@e2e.test` });
    expect(known.status).toBe(202);
    expect({ status: unknown.status, body: unknown.body }).toEqual({
      status: known.status,
      body: known.body,
    });

    const letter = await letterTo(person.email);
    expect(letter.subject).toBe('Сброс пароля Pavilion');
    expect(letter.text).toContain('Алия');
    const token = tokenIn(letter);

    expectProblem(
      await api.post('/api/auth/password-reset/confirm', { token, password: 'aaaaaaaaaaaa' }),
      400,
    );
    const newPassword = 'a brand new steppe password';
    expect(
      (await api.post('/api/auth/password-reset/confirm', { token, password: newPassword })).status,
    ).toBe(204);

    // Reused: refused, and the password stays the one just set.
    const reuse = await api.post('/api/auth/password-reset/confirm', {
      token,
      password: 'yet another good one',
    });
    expectProblem(reuse, 400);
    expect(reuse.body.errors).toEqual([expect.objectContaining({ field: 'token' })]);

    expectProblem(await api.get('/api/me', { token: before.accessToken }), 401);
    expectProblem(await api.get('/admin/queues', { headers: dashboardCookie }), 401);
    expectProblem(await api.get('/admin/queues', { headers: siteCookie }), 401);
    expectProblem(await api.post('/api/auth/login', { email: person.email, password: person.password }), 401);
    const after = await world.ok(api.post('/api/auth/login', { email: person.email, password: newPassword }));
    expect((await api.get('/api/me', { token: after.accessToken })).status).toBe(200);
    const again = await api.post('/admin/sign-in', { email: person.email, password: newPassword });
    expect((await api.get('/admin/queues', { headers: { cookie: cookieOf(again) } })).status).toBe(200);
  });

  it('spends every open token of the person once one is used, and refuses made-up tokens', async () => {
    const person = await world.signup();
    await world.ok(api.post('/api/auth/password-reset', { email: person.email }));
    await world.ok(api.post('/api/auth/password-reset', { email: person.email }));
    const first = tokenIn(await letterTo(person.email, 1));
    const second = tokenIn(await letterTo(person.email, 2));
    expect(first).not.toBe(second);
    expect(
      (
        await api.post('/api/auth/password-reset/confirm', {
          token: second,
          password: 'the second letter won',
        })
      ).status,
    ).toBe(204);
    expectProblem(
      await api.post('/api/auth/password-reset/confirm', { token: first, password: 'the first came late' }),
      400,
    );
    expectProblem(
      await api.post('/api/auth/password-reset/confirm', {
        token: 'x'.repeat(43),
        password: 'made up token here',
      }),
      400,
    );
    expectProblem(await api.post('/api/auth/password-reset', { email: 'not an email' }), 400);
  });

  it('refuses a token after its expiry (a 1-second TTL)', async () => {
    const short = await TestApi.start({
      SMTP_URL: sink.url,
      PASSWORD_RESET_TTL_SECONDS: '1',
      QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-reset-ttl`,
    });
    try {
      const person = await new World(short).signup();
      const asked = Date.now();
      expect((await short.post('/api/auth/password-reset', { email: person.email })).status).toBe(202);
      const token = tokenIn(await letterTo(person.email));
      // The token's expiry is a fixed instant: wait for it to pass, then use the token.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, asked + 1_200 - Date.now())));
      expectProblem(
        await short.post('/api/auth/password-reset/confirm', { token, password: 'too late for this' }),
        400,
      );
      expect(
        (await short.post('/api/auth/login', { email: person.email, password: person.password })).status,
      ).toBe(200);
    } finally {
      await short.close();
    }
  });

  it('limits requests per address and per email (429 alike for known and unknown addresses)', async () => {
    const limited = await TestApi.start({
      SMTP_URL: sink.url,
      PASSWORD_RESET_RATE_LIMIT: '2',
      QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-reset-limit-${randomUUID().slice(0, 8)}`,
    });
    try {
      const unknown = `nobody-${randomUUID()}@e2e.test`;
      expect((await limited.post('/api/auth/password-reset', { email: unknown })).status).toBe(202);
      expect((await limited.post('/api/auth/password-reset', { email: unknown })).status).toBe(202);
      expectProblem(await limited.post('/api/auth/password-reset', { email: unknown }), 429);
      // The address is used up too: a known email from it waits as well.
      const person = await new World(limited).signup();
      expectProblem(await limited.post('/api/auth/password-reset', { email: person.email }), 429);
    } finally {
      await limited.close();
    }
  });
});
