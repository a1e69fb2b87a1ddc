import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AppConfig } from '@pavilion/config';
import { PermanentDeliveryError } from './errors';
import { WebhookChannel } from './webhook.channel';

describe('webhook channel', () => {
  const servers: Server[] = [];
  const serve = async (handler: Parameters<typeof createServer>[1]) => {
    const server = createServer(handler);
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const channel = (allow: string[]) =>
    new WebhookChannel(Object.assign(new AppConfig(), { webhookAllowHosts: allow, webhookTimeoutMs: 300 }));
  const target = (url: string) => ({ url, secret: `whsec_${Buffer.alloc(32, 1).toString('base64')}` });
  const event = { type: 'registration_confirmed', data: {} };

  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('does not follow a redirect: a 3xx fails the delivery and the Location is never asked', async () => {
    let redirectedTo = 0;
    const inside = await serve((_req, res) => {
      redirectedTo++;
      res.end();
    });
    const hook = await serve((_req, res) => {
      res.writeHead(302, { location: `${inside}/admin/queues` }).end();
    });
    const sent = channel(['127.0.0.1']).send(target(`${hook}/hook`), 'delivery-1', event);
    await expect(sent).rejects.toThrow(PermanentDeliveryError);
    await expect(sent).rejects.toThrow(/answered 302/);
    expect(redirectedTo).toBe(0);
  });

  it('gives up on a receiver that does not answer within the timeout (a retryable failure)', async () => {
    const hook = await serve(() => undefined);
    const sent = channel(['127.0.0.1']).send(target(`${hook}/hook`), 'delivery-2', event);
    await expect(sent).rejects.toThrow(/did not answer within 300 ms/);
    await expect(sent).rejects.not.toThrow(PermanentDeliveryError);
  });

  it('refuses a target outside the allow-list at send time, without connecting', async () => {
    let asked = 0;
    const hook = await serve((_req, res) => {
      asked++;
      res.end();
    });
    await expect(channel([]).send(target(`${hook}/hook`), 'delivery-3', event)).rejects.toThrow(
      PermanentDeliveryError,
    );
    expect(asked).toBe(0);
  });
});
