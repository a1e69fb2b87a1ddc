import { once } from 'node:events';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pinoHttp from 'pino-http';
import { loggableUrl, requestLogging } from './request-logging';

describe('request logs carry no secrets', () => {
  it('redacts the Authorization header, cookies and token query parameters', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = pinoHttp(requestLogging('info', true), sink);
    const server = http.createServer((req, res) => {
      log(req, res);
      res.setHeader('set-cookie', 'pavilion_admin=secret-session; HttpOnly');
      res.end('ok');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await fetch(`http://127.0.0.1:${port}/api/me/agenda.ics?token=feed-secret-123&x=1`, {
      headers: { authorization: 'Bearer eyJ.secret.jwt', cookie: 'pavilion_admin=secret-session' },
    });
    server.close();
    const text = lines.join('');
    expect(text).toContain('request completed');
    expect(text).toContain('/api/me/agenda.ics?token=[redacted]&x=1');
    expect(text).toContain('"statusCode":200');
    // No header at all, so nothing a client or the app put in one.
    expect(text).not.toContain('headers');
    for (const secret of ['eyJ.secret.jwt', 'feed-secret-123', 'secret-session'])
      expect(text).not.toContain(secret);
  });

  it('rewrites only the secret parameters', () => {
    expect(loggableUrl('/api/notifications/unsubscribe?token=a.b.c')).toBe(
      '/api/notifications/unsubscribe?token=[redacted]',
    );
    expect(loggableUrl('/api/items?q=token&limit=5')).toBe('/api/items?q=token&limit=5');
  });
});
