import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { loadConfig } from '@pavilion/config';
import { runMigrations } from '@pavilion/database';
import { migrations } from '../../migrations';
import { seedDemo } from '../../scripts/seed-demo';
import { TestApi } from '../support/api';
import { scratchDatabase } from '../support/scratch-database';
import { VenueTree, World } from '../support/world';

// Debian's Chromium (`apt-get install chromium`; .ci/run installs it), driven by playwright-core: no browser download.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUTPUT = join(__dirname, '..', 'output', 'site-browser');
/** With UPDATE_SCREENSHOTS=1 the demo's screenshots are also copied to docs/screenshots (the README shows them). */
const DOCS = join(__dirname, '..', '..', 'docs', 'screenshots');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core in the page: the serious and critical violations, by rule and the nodes concerned. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const win = globalThis as any; // runs in the browser
    const result = await win.axe.run(win.document, { resultTypes: ['violations'] });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n: any) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: { id: string; nodes: string[] }) => `${v.id}: ${v.nodes.slice(0, 3).join(', ')}`);
}

describe('the public site in a real browser (Chromium)', () => {
  let api: TestApi;
  let world: World;
  let tree: VenueTree;
  let browser: Browser;
  let programme: any;
  let forum: any;
  let visitor: { email: string; password: string };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    mkdirSync(OUTPUT, { recursive: true });
    api = await TestApi.start({ PUBLIC_URL: 'http://pavilion.test' });
    world = new World(api);
    tree = await world.venueTree();
    const organizer = await world.organizer();
    programme = await world.ok(
      api.post(
        '/api/programmes',
        {
          organizationId: organizer.organization.id,
          pavilionId: tree.pavilion.id,
          title: 'Days of Chelyabinsk Region',
          startsOn: '2031-08-15',
          endsOn: '2031-08-16',
          languages: ['ru', 'en', 'kk'],
        },
        { token: organizer.token },
      ),
    );
    const speaker = await world.speaker(organizer.token, 'Boris Dubrovsky');
    const add = (body: Record<string, unknown>) =>
      world.ok(api.post(`/api/programmes/${programme.id}/items`, body, { token: organizer.token }));
    await add({
      type: 'opening_ceremony',
      title: 'Opening of the Days of Chelyabinsk Region',
      spaceId: tree.hall.id,
      startsAt: '2031-08-15T10:00',
      endsAt: '2031-08-15T11:00',
      languages: ['ru', 'kk'],
      speakerIds: [speaker.id],
      registrationRequired: false,
    });
    forum = await add({
      type: 'business_forum',
      title: 'Business forum "Business energy — development energy"',
      spaceId: tree.hall.id,
      startsAt: '2031-08-15T11:30',
      endsAt: '2031-08-15T13:30',
      languages: ['ru', 'en'],
      capacity: 80,
    });
    await add({
      type: 'round_table',
      title: 'Round table: metallurgy and mechanical engineering',
      spaceId: tree.room.id,
      startsAt: '2031-08-15T14:00',
      endsAt: '2031-08-15T15:30',
      languages: ['ru'],
    });
    await add({
      type: 'negotiations',
      title: 'Negotiations with partners from Kazakhstan',
      spaceId: tree.room.id,
      startsAt: '2031-08-15T16:00',
      endsAt: '2031-08-15T17:00',
      languages: ['ru', 'kk'],
    });
    await add({
      type: 'conference',
      title: 'Conference "Future of alternative energy: realities and perspectives"',
      spaceId: tree.hall.id,
      startsAt: '2031-08-16T10:00',
      endsAt: '2031-08-16T13:00',
      languages: ['en', 'ru'],
    });
    await world.ok(api.post(`/api/programmes/${programme.id}/publish`, {}, { token: organizer.token }));
    visitor = await world.signup({ displayName: 'Aigerim' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('day, language, filter, item, sign in, register, status, cancel — accessible, with screenshots', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    const scriptErrors: string[] = [];
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    // The page's clock at 11:30 in Astana on the first day: the script draws the now-line there.
    await page.clock.install({ time: new Date('2031-08-15T06:30:00Z') });
    await page.goto(`${api.baseUrl}/programmes/${programme.id}?lang=en`);
    await page.locator('.grid').waitFor();
    await page.locator('.grid .now-line').waitFor({ state: 'attached' });
    // Rows are five minutes from 10:00 after the header row: 11:30 is row 2 + 18.
    expect(await page.locator('.grid .now-line').evaluate((el: any) => el.style.gridRowStart)).toBe('20');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('.grid .cell').count()).toBe(4);
    expect(await page.locator('.list').isVisible()).toBe(false);
    await page.screenshot({ path: join(OUTPUT, 'grid.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: /16 Aug/ }).click();
    await page.waitForURL(/day=2031-08-16/);
    expect(await page.locator('.grid .cell').count()).toBe(1);

    await page.getByRole('link', { name: 'Русский' }).click();
    await page.waitForURL(/lang=ru/);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    await page.getByRole('link', { name: /15 авг/ }).click();
    await page.getByLabel('Формат').selectOption('round_table');
    await page.getByRole('button', { name: 'Показать' }).click();
    await page.waitForURL(/type=round_table/);
    expect(await page.locator('.grid .cell').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'English' }).click();
    await page.goto(`${api.baseUrl}/programmes/${programme.id}?lang=en&day=2031-08-15`);
    await page.locator('.grid .cell', { hasText: 'Business forum' }).click();
    await page.getByRole('heading', { level: 1, name: /Business forum/ }).waitFor();
    expect(await page.locator('.seats').textContent()).toContain('80 seats left');
    expect(await page.locator('.qr svg').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    // The live seat count: someone else registers; the page's script refreshes the count when shown again.
    const other = await world.signup();
    await world.ok(api.post(`/api/items/${forum.id}/registrations`, {}, { token: other.token }));
    await page.evaluate(() => (globalThis as any).document.dispatchEvent(new Event('visibilitychange')));
    await page.locator('.seats', { hasText: '79 seats left' }).waitFor();

    await page.getByRole('link', { name: 'Sign in to register' }).click();
    await page.getByLabel('E-mail').fill(visitor.email);
    await page.getByLabel('Password').fill(visitor.password);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as Aigerim').waitFor();
    expect(page.url()).toContain(`/items/${forum.id}`);

    await page.getByRole('button', { name: 'Register' }).click();
    await page.locator('.my-status').waitFor();
    expect(await page.locator('.my-status').textContent()).toBe('Confirmed');
    expect(await page.locator('.seats').textContent()).toContain('78 seats left');
    expect(await page.getByRole('link', { name: /My calendar/ }).getAttribute('href')).toContain(
      '/api/me/agenda.ics?token=',
    );
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Cancel my registration' }).click();
    await page.getByRole('button', { name: 'Register' }).waitFor();
    expect(await page.locator('.my-status').count()).toBe(0);
    expect(scriptErrors).toEqual([]);
    await context.close();
  });

  it('shows a list on a phone-sized screen', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${api.baseUrl}/programmes/${programme.id}?lang=ru&day=2031-08-15`);
    expect(await page.locator('.grid').isVisible()).toBe(false);
    expect(await page.locator('.list li').count()).toBe(4);
    await page.screenshot({ path: join(OUTPUT, 'phone-list.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});

describe('the demo programme in a real browser (the README screenshots)', () => {
  let db: { url: string; drop: () => Promise<void> };
  let api: TestApi;
  let browser: Browser;
  let programmeId: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}`);
    mkdirSync(OUTPUT, { recursive: true });
    // The demo is loaded by its own seeding code into a database of its own (it loads only into an empty one).
    db = await scratchDatabase('site_demo');
    await runMigrations(db.url, migrations, 'up');
    const seeded = await seedDemo(
      loadConfig({ ...process.env, DATABASE_URL: db.url, ADMIN_EMAIL: '', ADMIN_PASSWORD: '' }),
    );
    if (seeded === 'exists') throw new Error('a fresh database already had a programme');
    programmeId = seeded.programmeId;
    api = await TestApi.start({ DATABASE_URL: db.url, PUBLIC_URL: 'http://localhost:3000' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await db?.drop();
  });

  async function shoot(name: string, width: number, path: string, ready: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(api.baseUrl + path);
    await page.locator(ready).first().waitFor();
    await page.screenshot({ path: join(OUTPUT, name), fullPage: true });
    if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(join(OUTPUT, name), join(DOCS, name));
    return page;
  }

  it('the grid in English, the list on a phone in Russian, an item in Kazakh', async () => {
    const grid = await shoot('site-grid.png', 1280, `/programmes/${programmeId}?lang=en`, '.grid .cell');
    expect(await grid.locator('.grid .cell', { hasText: 'Opening of the Days' }).count()).toBe(1);
    expect(await seriousViolations(grid)).toEqual([]);
    const phone = await shoot('site-phone-list.png', 390, `/programmes/${programmeId}?lang=ru`, '.list li');
    expect(await phone.locator('.grid').isVisible()).toBe(false);
    const forum = await phone.locator('.list a', { hasText: 'Business forum' }).getAttribute('href');
    const item = await shoot(
      'site-item-kk.png',
      390,
      (forum as string).replace('lang=ru', 'lang=kk'),
      '.qr svg',
    );
    expect(await item.getAttribute('html', 'lang')).toBe('kk');
    expect(await item.locator('.seats').textContent()).toMatch(/\d/);
    expect(await seriousViolations(item)).toEqual([]);
  });
});
