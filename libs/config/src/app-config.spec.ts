import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies local defaults so a newcomer needs no environment', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/pavilion');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.port).toBe(3000);
    expect(config.workerPort).toBe(3001);
    expect(config.loginRateLimit).toBe(10);
    expect(config.signupRateLimit).toBe(300);
    expect(config.publicUrl).toBe('http://localhost:3000');
  });

  it('names every malformed variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', ADMIN_EMAIL: 'admin@example.org' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('PORT');
    expect(message).toContain('ADMIN_EMAIL and ADMIN_PASSWORD');
  });

  it('requires a JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).jwtSecret).toBe('x'.repeat(40));
  });

  it('splits CORS origins', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('runs one API and one worker process unless told otherwise, and refuses a count of 0', () => {
    expect(loadConfig({})).toEqual(expect.objectContaining({ apiProcesses: 1, workerProcesses: 1 }));
    expect(loadConfig({ API_PROCESSES: '2', WORKER_PROCESSES: '3' })).toEqual(
      expect.objectContaining({ apiProcesses: 2, workerProcesses: 3 }),
    );
    expect(() => loadConfig({ API_PROCESSES: '0' })).toThrow(/API_PROCESSES/);
    expect(() => loadConfig({ WORKER_PROCESSES: 'many' })).toThrow(/WORKER_PROCESSES/);
    expect(loadConfig({}).smtpMaxPerSecond).toBeUndefined();
    expect(loadConfig({ SMTP_MAX_PER_SECOND: '50' }).smtpMaxPerSecond).toBe(50);
    expect(() => loadConfig({ SMTP_MAX_PER_SECOND: '0' })).toThrow(/SMTP_MAX_PER_SECOND/);
  });

  it('lets a reminder go out at most half an hour early under the cap, unless told otherwise', () => {
    expect(loadConfig({}).reminderMaxEarlyMs).toBe(1_800_000);
    expect(loadConfig({ REMINDER_MAX_EARLY_SECONDS: '0' }).reminderMaxEarlyMs).toBe(0);
    expect(() => loadConfig({ REMINDER_MAX_EARLY_SECONDS: '-5' })).toThrow(/REMINDER_MAX_EARLY_SECONDS/);
  });

  it('trusts a proxy by hop count or address, and none by default', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
  });
});
