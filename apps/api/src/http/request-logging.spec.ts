import Fastify from 'fastify';
import pinoHttp from 'pino-http';
import { Writable } from 'node:stream';
import { loggableUrl, requestLogHook } from './request-logging';

/** A Fastify app whose only hook is the request log, writing into `lines`. */
function loggedApp(level: string, lines: string[]) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  // As in the API: the root logger is pino-http's, whose serializers expect Node's request and response objects.
  const logger = pinoHttp({ level, autoLogging: false }, sink).logger;
  const app = Fastify();
  app.addHook(
    'onResponse',
    requestLogHook(() => logger, true),
  );
  app.get('/api/me/agenda.ics', (_request, reply) => {
    void reply.header('set-cookie', 'pavilion_admin=secret-session; HttpOnly').send('ok');
  });
  app.get('/fails', (_request, reply) => {
    void reply.code(503).send('down');
  });
  return app;
}

describe('request logs carry no secrets', () => {
  it('says what was asked and answered, and nothing from a header or a token parameter', async () => {
    const lines: string[] = [];
    const app = loggedApp('info', lines);
    await app.inject({
      url: '/api/me/agenda.ics?token=feed-secret-123&x=1',
      headers: { authorization: 'Bearer eyJ.secret.jwt', cookie: 'pavilion_admin=secret-session' },
    });
    await app.inject({ url: '/fails' });
    await app.close();
    expect(lines).toHaveLength(2);
    const [ok, failed] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(ok).toMatchObject({
      msg: 'request completed',
      req: { method: 'GET', url: '/api/me/agenda.ics?token=[redacted]&x=1', remoteAddress: '127.0.0.1' },
      res: { statusCode: 200 },
    });
    expect(typeof (ok.req as { id: unknown }).id).toBe('string');
    expect(typeof ok.responseTime).toBe('number');
    expect(failed).toMatchObject({ msg: 'request errored', res: { statusCode: 503 } });
    const text = lines.join('');
    // No header at all, so nothing a client or the app put in one.
    expect(text).not.toContain('headers');
    for (const secret of ['eyJ.secret.jwt', 'feed-secret-123', 'secret-session'])
      expect(text).not.toContain(secret);
  });

  it('writes nothing when the level is above info', async () => {
    const lines: string[] = [];
    const app = loggedApp('warn', lines);
    await app.inject({ url: '/api/me/agenda.ics' });
    await app.close();
    expect(lines).toEqual([]);
  });

  it('rewrites only the secret parameters', () => {
    expect(loggableUrl('/api/notifications/unsubscribe?token=a.b.c')).toBe(
      '/api/notifications/unsubscribe?token=[redacted]',
    );
    expect(loggableUrl('/api/items?q=token&limit=5')).toBe('/api/items?q=token&limit=5');
  });
});
