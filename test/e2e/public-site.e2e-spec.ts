import { expectProblem, TestApi } from '../support/api';
import { startPlacedWorld, VenueTree, World } from '../support/world';

/** A browser-like client over HTTP: keeps cookies, does not follow redirects. */
class CookieClient {
  private readonly jar = new Map<string, string>();
  constructor(private readonly baseUrl: string) {}

  async request(method: string, path: string, form?: Record<string, string>) {
    const headers: Record<string, string> = {};
    if (this.jar.size) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: form ? new URLSearchParams(form).toString() : undefined,
      redirect: 'manual',
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = pair.split('=');
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(cookie)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const text = await res.text();
    const json = (res.headers.get('content-type') ?? '').includes('json') && text;
    return { status: res.status, headers: res.headers, text, body: json ? JSON.parse(text) : text };
  }
  get = (path: string) => this.request('GET', path);
  post = (path: string, form: Record<string, string>) => this.request('POST', path, form);
}

const linksOf = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('the public programme site (pages over HTTP)', () => {
  let api: TestApi;
  let world: World;
  let tree: VenueTree;
  let organizer: { organization: any; token: string };
  let programme: any;
  let roundTable: any;
  let forum: any;

  beforeAll(async () => {
    ({ api, world, tree, organizer } = await startPlacedWorld({ PUBLIC_URL: 'http://pavilion.test' }));
    programme = await world.programme(organizer, tree.pavilion, {
      startsOn: '2031-06-02',
      endsOn: '2031-06-03',
    });
    const speaker = await world.speaker(organizer.token, 'Alexander Shestakov');
    const add = (body: Record<string, unknown>) =>
      world.ok(api.post(`/api/programmes/${programme.id}/items`, body, { token: organizer.token }));
    forum = await add({
      type: 'business_forum',
      title: 'Business energy — development energy',
      spaceId: tree.hall.id,
      startsAt: '2031-06-02T10:00',
      endsAt: '2031-06-02T12:00',
      languages: ['ru'],
      speakerIds: [speaker.id],
    });
    roundTable = await add({
      type: 'round_table',
      title: 'Round table <script>alert(1)</script>',
      spaceId: tree.room.id,
      startsAt: '2031-06-02T13:00',
      endsAt: '2031-06-02T14:30',
      capacity: 1,
      languages: ['en'],
    });
    await add({
      type: 'conference',
      title: 'Future of alternative energy',
      spaceId: tree.hall.id,
      startsAt: '2031-06-03T10:00',
      endsAt: '2031-06-03T12:00',
    });
    await world.ok(api.post(`/api/programmes/${programme.id}/publish`, {}, { token: organizer.token }));
  });
  afterAll(() => api.close());

  it('lists published programmes on / and hides drafts', async () => {
    const draft = await world.programme(organizer, tree.pavilion);
    const res = await api.get('/?lang=en');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain(programme.title);
    expect(res.text).not.toContain(draft.title);
    expectProblem(await api.get(`/programmes/${draft.id}`), 404);
  });

  it('shows the first day by default, with tabs, a grid and a list, escaped, in the language asked for', async () => {
    const res = await api.get(`/programmes/${programme.id}?lang=ru`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="ru">');
    expect(res.text).toContain('<meta name="viewport"');
    expect(res.text).toMatch(/aria-current="page">[^<]*2[^<]*<\/a>/);
    expect(res.text).toContain('class="grid"');
    expect(res.text).toContain('class="list"');
    expect(res.text).toContain('Business energy — development energy');
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;');
    expect(res.text).toContain('Круглый стол');
    expect(res.text).not.toContain('Future of alternative energy');
    const kk = await api.get(`/programmes/${programme.id}`, {
      headers: { 'accept-language': 'kk-KZ, ru;q=0.8' },
    });
    expect(kk.text).toContain('<html lang="kk">');
    const fallback = await api.get(`/programmes/${programme.id}`, { headers: { 'accept-language': 'de' } });
    expect(fallback.text).toContain('<html lang="ru">'); // the programme's first language
  });

  it('switches day and filters by type, language and space as plain query strings', async () => {
    const day2 = await api.get(`/programmes/${programme.id}?lang=en&day=2031-06-03`);
    expect(day2.text).toContain('Future of alternative energy');
    expect(day2.text).not.toContain('Business energy');
    const byType = await api.get(
      `/programmes/${programme.id}?lang=en&day=2031-06-02&type=round_table&language=&space=`,
    );
    expect(byType.status).toBe(200);
    expect(byType.text).not.toContain('Business energy — development energy</a>');
    expect(byType.text).toContain('Round table &lt;script&gt;');
    const bySpace = await api.get(`/programmes/${programme.id}?day=2031-06-02&space=${tree.hall.id}`);
    expect(bySpace.text).toContain('Business energy — development energy</a>');
    expect(bySpace.text).not.toContain('Round table &lt;script&gt;alert(1)&lt;/script&gt;</a>');
    const byLanguage = await api.get(`/programmes/${programme.id}?day=2031-06-02&language=en`);
    expect(byLanguage.text).not.toContain('Business energy — development energy</a>');
    for (const bad of ['type=party', 'day=2031-13-40', 'space=nope', 'lang=de', 'utm=1', 'language=%3Cb%3E'])
      expectProblem(await api.get(`/programmes/${programme.id}?${bad}`), 400);
  });

  it('answers a matching If-None-Match with 304, and a new ETag once a seat is taken', async () => {
    const path = `/programmes/${programme.id}/items/${roundTable.id}?lang=en`;
    const first = await api.get(path);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('public, no-cache');
    expect(first.text).toContain('1 seat left');
    expect(first.text).toContain('<svg role="img"');
    expect(first.text).toContain('UTC+05:00');
    const etag = first.headers.get('etag') as string;
    expect((await api.get(path, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const dayPage = await api.get(`/programmes/${programme.id}?lang=en`);
    const attendee = await world.signup();
    await world.ok(api.post(`/api/items/${roundTable.id}/registrations`, {}, { token: attendee.token }));
    const after = await api.get(path, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.text).toContain('Full');
    const dayAfter = await api.get(`/programmes/${programme.id}?lang=en`, {
      headers: { 'if-none-match': dayPage.headers.get('etag') as string },
    });
    expect(dayAfter.status).toBe(200);
  });

  it('the lobby screen refreshes itself, has no ETag and a short max-age', async () => {
    const res = await api.get(`/programmes/${programme.id}/now?lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('public, max-age=30');
    expect(res.text).toMatch(/<meta http-equiv="refresh" content="30">/);
  });

  it('the changes page lists what changed, and each item has its own ICS', async () => {
    await world.ok(
      api.patch(
        `/api/items/${forum.id}`,
        { startsAt: '2031-06-02T09:00', endsAt: '2031-06-02T11:00' },
        { token: organizer.token },
      ),
    );
    const res = await api.get(`/programmes/${programme.id}/changes?lang=en`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Moved: Business energy — development energy');
    const ics = await api.get(`/programmes/${programme.id}/items/${forum.id}/calendar.ics`);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    expect(ics.text).toContain('DTSTART:20310602T040000Z');
  });

  it('signs in with a CSRF-checked form, registers, shows the status, stars and cancels', async () => {
    const person = await world.signup({ displayName: 'Dana' });
    const browser = new CookieClient(api.baseUrl);
    const form = await browser.get(`/sign-in?lang=en&next=/programmes/${programme.id}/items/${forum.id}`);
    const csrf = csrfOf(form.text);
    expect(csrf).not.toBe('');
    expect(form.headers.get('set-cookie')).toMatch(/HttpOnly/i);

    expectProblem(
      await browser.post('/sign-in', { email: person.email, password: person.password, _csrf: 'forged' }),
      403,
    );
    const wrong = await browser.post('/sign-in', { email: person.email, password: 'not it', _csrf: csrf });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('role="alert"');

    const signIn = await fetch(`${api.baseUrl}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `pavilion_csrf=${/pavilion_csrf=([^;]+)/.exec(form.headers.get('set-cookie') as string)?.[1]}`,
      },
      body: new URLSearchParams({
        email: person.email,
        password: person.password,
        _csrf: csrf,
        next: 'https://evil.example/',
      }),
    });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/'); // never another host
    const session = signIn.headers.getSetCookie().find((c) => c.startsWith('pavilion_session=')) as string;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);

    const ok = await browser.post('/sign-in', {
      email: person.email,
      password: person.password,
      _csrf: csrf,
      next: `/programmes/${programme.id}/items/${forum.id}`,
    });
    expect(ok.status).toBe(303);
    const page = await browser.get(`/programmes/${programme.id}/items/${forum.id}?lang=en`);
    expect(page.headers.get('cache-control')).toBe('private, no-cache');
    expect(page.text).toContain('Signed in as Dana');
    const token = csrfOf(page.text);

    expectProblem(
      await browser.post(`/programmes/${programme.id}/items/${forum.id}/register`, { _csrf: 'x' }),
      403,
    );
    const registered = await browser.post(`/programmes/${programme.id}/items/${forum.id}/register`, {
      _csrf: token,
    });
    expect(registered.status).toBe(303);
    const mine = await browser.get(`/programmes/${programme.id}/items/${forum.id}?lang=en`);
    expect(mine.text).toContain('class="my-status">Confirmed');
    expect(mine.text).toContain('/api/me/agenda.ics?token=');
    // Registering again from a stale page: a page saying why, in the form's language, not problem+json.
    const again = await browser.post(`/programmes/${programme.id}/items/${forum.id}/register`, {
      _csrf: token,
      lang: 'ru',
    });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('text/html');
    expect(again.text).toContain('Вы уже зарегистрированы на это событие.');
    expect(again.text).toContain(`href="/programmes/${programme.id}/items/${forum.id}?lang=ru"`);

    await browser.post(`/programmes/${programme.id}/items/${forum.id}/favourite`, { _csrf: token, on: '1' });
    const list = await world.ok(api.get('/api/me/favourites', { token: person.token }));
    expect(list.items.map((i: any) => i.id)).toEqual([forum.id]);
    const favourites = await browser.get('/favourites?lang=en');
    expect(favourites.status).toBe(200);
    expect(favourites.headers.get('cache-control')).toBe('private, no-cache');
    expect(favourites.text).toContain('<h1>My favourites</h1>');
    expect(favourites.text).toContain(`href="/programmes/${programme.id}/items/${forum.id}?lang=en"`);
    expect(favourites.text).toContain('Business energy — development energy</a>');
    expect(linksOf(mine.text)).toContain('/favourites?lang=en');
    const day = await browser.get(`/programmes/${programme.id}?lang=en&day=2031-06-02`);
    expect(day.headers.get('cache-control')).toBe('private, no-cache');
    expect(day.text).toContain(`aria-pressed="true" aria-label="Remove from favourites: Business energy`);
    const unstar = await browser.post(`/programmes/${programme.id}/items/${forum.id}/favourite`, {
      _csrf: token,
      on: '0',
      back: `/programmes/${programme.id}?lang=en&day=2031-06-02`,
    });
    expect(unstar.headers.get('location')).toBe(`/programmes/${programme.id}?lang=en&day=2031-06-02`);
    expect((await world.ok(api.get('/api/me/favourites', { token: person.token }))).items).toEqual([]);

    const cancelled = await browser.post(`/programmes/${programme.id}/items/${forum.id}/cancel`, {
      _csrf: token,
    });
    expect(cancelled.status).toBe(303);
    const after = await browser.get(`/programmes/${programme.id}/items/${forum.id}?lang=en`);
    expect(after.text).not.toContain('class="my-status"');
    expect(after.text).toContain('>Register<');

    const out = await browser.post('/sign-out', { _csrf: token });
    expect(out.status).toBe(303);
    const anonymous = await browser.get(`/programmes/${programme.id}/items/${forum.id}?lang=en`);
    expect(anonymous.text).not.toContain('Signed in as');
    expect(anonymous.text).toContain('Sign in to register');
    expectProblem(
      await browser.post(`/programmes/${programme.id}/items/${forum.id}/register`, { _csrf: token }),
      401,
    );
    const signInFirst = await browser.get('/favourites?lang=kk');
    expect(signInFirst.status).toBe(303);
    expect(signInFirst.headers.get('location')).toBe('/sign-in?lang=kk&next=%2Ffavourites%3Flang%3Dkk');
  });
});
