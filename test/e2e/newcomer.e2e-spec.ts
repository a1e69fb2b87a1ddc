import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { loadConfig } from '@pavilion/config';
import { runMigrations } from '@pavilion/database';
import { EmailChannel } from '../../libs/notifications/src/channels/email.channel';
import { SmtpSendRate } from '../../libs/notifications/src/channels/send-rate';
import { migrations } from '../../migrations';
import { seedDemo } from '../../scripts/seed-demo';
import { TestApi } from '../support/api';
import { scratchDatabase } from '../support/scratch-database';

const run = promisify(execFile);
const root = path.join(__dirname, '../..');

/** A command's outcome, failed or not. */
async function outcome(file: string, args: string[], env: Record<string, string | undefined>) {
  try {
    const { stdout, stderr } = await run(file, args, { cwd: root, env, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** What a newcomer does first: the README's walk-through, the letters, a second start on a taken port. */
describe('newcomer: the walk-through, the letters and a taken port', () => {
  it('runs the README walk-through twice in a row on a fresh demo database', async () => {
    const db = await scratchDatabase('walkthrough');
    await runMigrations(db.url, migrations, 'up');
    const env = { ...process.env, DATABASE_URL: db.url, ADMIN_EMAIL: '', ADMIN_PASSWORD: '' };
    const api = await TestApi.start({ DATABASE_URL: db.url });
    try {
      await seedDemo(loadConfig(env));
      for (const round of [1, 2]) {
        const result = await outcome('bash', ['scripts/walkthrough.sh'], { ...env, API: api.baseUrl });
        if (result.code !== 0) throw new Error(`round ${round}: ${result.stderr}\n${result.stdout}`);
        expect(result.stdout).toMatch(/✓ Timur registers: waitlisted \(201\)\n\s+waitlisted, position 1/);
        expect(result.stdout).toContain('✓ Aigerim cancels (204)');
        expect(result.stdout).toContain('✓ check Timur in by his code (201)');
        expect(result.stdout).toContain('Done: the walk-through ran through');
      }
    } finally {
      await api.close();
      await db.drop();
    }
  }, 150_000);

  it('stops at the first step that fails, saying which and what came back', async () => {
    // Nothing listens there.
    const dead = await outcome('bash', ['scripts/walkthrough.sh'], {
      ...process.env,
      API: 'http://127.0.0.1:9',
    });
    expect(dead.code).toBe(1);
    expect(dead.stderr.trim()).toBe(
      '✗ list programmes: no answer from http://127.0.0.1:9 (is `npm start` running?)',
    );
    // An API without the demo: the programme it looks for is missing, and it says so instead of going on.
    const db = await scratchDatabase('walkthrough_empty');
    await runMigrations(db.url, migrations, 'up');
    const api = await TestApi.start({ DATABASE_URL: db.url });
    try {
      const empty = await outcome('bash', ['scripts/walkthrough.sh'], { ...process.env, API: api.baseUrl });
      expect(empty.code).toBe(1);
      expect(empty.stdout).toContain('✓ list programmes (200)');
      expect(empty.stderr).toMatch(/^✗ .*"Days of Chelyabinsk Region".* is missing from/);
      expect(empty.stdout).not.toContain('== Sign in');
    } finally {
      await api.close();
      await db.drop();
    }
  }, 60_000);

  it('npm run mail:show prints the last letters decoded', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pavilion-mail-'));
    const env: NodeJS.ProcessEnv = { ...process.env, MAIL_DIR: dir };
    delete env.SMTP_URL;
    const config = loadConfig(env);
    // No SMTP_MAX_PER_SECOND here, so the send rate never touches Redis (the client stays unconnected).
    const redis = new Redis(config.redisUrl, { lazyConnect: true });
    const email = new EmailChannel(config, new SmtpSendRate(redis, config));
    try {
      await email.send(() => ({
        id: 'letter-1',
        to: 'aigerim@example.org',
        subject: 'Подтверждено: «Круглый стол», вт 15 авг. 2017 г., 15:00',
        text: 'Здравствуйте, Айгерим!\n\nВаша регистрация подтверждена.\n',
      }));
      const shown = await outcome(process.execPath, ['dist/scripts/mail-show.js', '5'], env);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain('To:      aigerim@example.org');
      expect(shown.stdout).toContain('Subject: Подтверждено: «Круглый стол», вт 15 авг. 2017 г., 15:00');
      expect(shown.stdout).toContain('Здравствуйте, Айгерим!\n\nВаша регистрация подтверждена.');
    } finally {
      email.onModuleDestroy();
      redis.disconnect();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['the API', 'dist/apps/api/src/main.js', 'PORT'],
    ['the worker', 'dist/apps/worker/src/main.js', 'WORKER_PORT'],
  ])(
    'says in one line that the port of %s is taken, naming the variable',
    async (_who, main, variable) => {
      const taken = net.createServer();
      await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
      const port = (taken.address() as net.AddressInfo).port;
      try {
        const started = await outcome(process.execPath, [main], {
          ...process.env,
          [variable]: String(port),
          LOG_LEVEL: 'silent',
        });
        expect(started.code).toBe(1);
        expect(started.stderr.trim()).toBe(
          `Port ${port} is already in use: stop what listens there, or set ${variable} to another port.`,
        );
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
    },
    60_000,
  );
});
