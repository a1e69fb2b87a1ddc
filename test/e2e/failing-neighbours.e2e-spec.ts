import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApiResponse, expectProblem } from '../support/api';
import { until } from '../support/smtp-sink';
import { NotificationStack, soonProgramme } from '../support/stack';
import { TcpProxy } from '../support/tcp-proxy';

/**
 * PostgreSQL, Redis, SMTP and a webhook receiver failing under the running apps. The shared PostgreSQL and
 * Redis are never stopped: the apps reach them through a TcpProxy that the test cuts and restores.
 */

const isConfirmation = (m: { subject: string }) => m.subject.startsWith('Confirmed');

async function itemIn(stack: NotificationStack, capacity = 500) {
  const setup = await soonProgramme(stack.world);
  const start = new Date(Date.now() + 3 * 3600_000);
  const item = await stack.world.ok(
    stack.api.post(
      `/api/programmes/${setup.programme.id}/items`,
      {
        type: 'conference',
        title: 'Future of alternative energy',
        spaceId: setup.tree.hall.id,
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 3600_000).toISOString(),
        capacity: Math.min(capacity, 100),
      },
      { token: setup.organizer.token },
    ),
  );
  return { setup, item };
}

/**
 * Each person got their confirmation once, after the deliveries of the item settled. With `resentAllowed`, a
 * message may arrive twice with the same Message-ID: a send whose outcome PostgreSQL could not record is sent
 * again when its lease expires (at least once, with an id receivers deduplicate by).
 */
async function expectOneConfirmationEach(
  stack: NotificationStack,
  itemId: string,
  emails: string[],
  resentAllowed = false,
) {
  await stack.sink.waitFor(
    () => emails.every((email) => stack.sink.to(email).some(isConfirmation)),
    60_000,
    'a confirmation for everyone',
  );
  await stack.deliveriesSettled(itemId, 120_000);
  for (const email of emails) {
    const received = stack.sink.to(email).filter(isConfirmation);
    if (resentAllowed) expect(new Set(received.map((m) => m.messageId)).size).toBe(1);
    else expect(received).toHaveLength(1);
  }
}

describe('failing neighbours: PostgreSQL restarted under registration load', () => {
  let proxy: TcpProxy;
  let stack: NotificationStack;

  beforeAll(async () => {
    proxy = await TcpProxy.start(process.env.DATABASE_URL as string);
    stack = await NotificationStack.start(
      'pg-outage',
      {
        DATABASE_CONNECT_TIMEOUT_MS: '1000',
        DELIVERY_LEASE_SECONDS: '3',
        // Send retries must outlast the outage however slow a loaded machine makes it.
        DELIVERY_ATTEMPTS: '10',
      },
      {
        through: { postgres: proxy },
      },
    );
  }, 120_000);
  afterAll(async () => {
    await proxy.restore();
    await stack.close();
    await proxy.close();
  });

  it('answers 503 problem+json during the outage, recovers by itself, loses and doubles nothing', async () => {
    const { item } = await itemIn(stack);
    const people = [];
    for (let i = 0; i < 16; i++) people.push(await stack.world.signup());

    const answers: ApiResponse[] = [];
    let confirmed = 0;
    /** An attendee's app: registers, and on a 503 tries again until the API answers 201 (or 409: it already is). */
    const attendee = async (token: string) => {
      for (;;) {
        const res = await stack.api.post(`/api/items/${item.id}/registrations`, {}, { token });
        answers.push(res);
        if (res.status === 201 || res.status === 409) return res.status === 201 && confirmed++;
        if (res.status !== 503) throw new Error(`unexpected ${res.status}: ${res.text}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const load = Promise.all(
      people.map((p, i) => new Promise((r) => setTimeout(r, i * 40)).then(() => attendee(p.token))),
    );
    await until(async () => (confirmed >= 3 ? true : undefined), 30_000, 'the first registrations');
    await proxy.cut();
    await until(
      async () => (answers.filter((a) => a.status === 503).length >= 3 ? true : undefined),
      30_000,
      'requests answered during the outage',
    );
    const ready = await stack.api.get('/health/ready');
    expect(ready.status).toBe(503);
    await proxy.restore();
    await load;

    for (const res of answers.filter((a) => a.status === 503)) {
      expectProblem(res, 503);
      expect(res.headers.get('retry-after')).toBe('5');
    }
    expect(answers.every((a) => [201, 409, 503].includes(a.status))).toBe(true);
    const { rows } = await stack.db.query(
      `SELECT user_id, count(*)::int AS n FROM registrations WHERE item_id = $1 AND status <> 'cancelled' GROUP BY user_id`,
      [item.id],
    );
    expect(rows).toHaveLength(people.length);
    expect(rows.every((r: { n: number }) => r.n === 1)).toBe(true);
    expect((await stack.api.get('/health/ready')).status).toBe(200);
    // The worker came back too: the outbox delivers every confirmation, once.
    await expectOneConfirmationEach(
      stack,
      item.id,
      people.map((p) => p.email),
      true,
    );
  }, 180_000);
});

describe('failing neighbours: Redis down', () => {
  let proxy: TcpProxy;
  let stack: NotificationStack;

  beforeAll(async () => {
    proxy = await TcpProxy.start(process.env.REDIS_URL as string);
    stack = await NotificationStack.start('redis-outage', {}, { through: { redis: proxy } });
  }, 120_000);
  afterAll(async () => {
    await proxy.restore();
    await stack.close();
    await proxy.close();
  });

  it('keeps taking registrations, refuses rate-limited routes with 503, then delivers what was due, once', async () => {
    const { item } = await itemIn(stack);
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await stack.world.signup());

    await proxy.cut();
    // Registrations need only PostgreSQL: the outbox row is written with the registration.
    for (const person of people) {
      const res = await stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: person.token });
      expect(res.status).toBe(201);
    }
    // Rate-limited routes fail closed: a limit that cannot be counted is not skipped.
    const login = await stack.api.post('/api/auth/login', {
      email: people[0].email,
      password: people[0].password,
    });
    expectProblem(login, 503);
    expect((await stack.api.get('/health/ready')).status).toBe(503);
    expect(stack.sink.messages.filter(isConfirmation)).toHaveLength(0);

    const before = proxy.accepted;
    await proxy.restore();
    await expectOneConfirmationEach(
      stack,
      item.id,
      people.map((p) => p.email),
    );
    expect(proxy.accepted).toBeGreaterThan(before);
    expect(
      (await stack.api.post('/api/auth/login', { email: people[0].email, password: people[0].password }))
        .status,
    ).toBe(200);
  }, 120_000);
});

describe('failing neighbours: the SMTP server down, then back; a permanent refusal', () => {
  let proxy: TcpProxy;
  let stack: NotificationStack;

  beforeAll(async () => {
    // The sink starts with the stack: the proxy learns its port once it exists.
    proxy = await TcpProxy.start('smtp://127.0.0.1:1');
    stack = await NotificationStack.start(
      'smtp-outage',
      { DELIVERY_BACKOFF_MS: '200' },
      { through: { smtp: proxy } },
    );
    proxy.retarget(stack.sink.url);
  }, 120_000);
  afterAll(async () => {
    await stack.close();
    await proxy.close();
  });

  it('retries with backoff while SMTP is down and delivers once it is back', async () => {
    const { item } = await itemIn(stack);
    const person = await stack.world.signup();
    await proxy.cut();
    await stack.world.ok(stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: person.token }));
    const attempts = async () =>
      (
        await stack.db.query(
          `SELECT d.attempts FROM deliveries d JOIN users u ON u.id = d.user_id
            WHERE d.item_id = $1 AND u.email = $2 AND d.channel = 'email'`,
          [item.id, person.email],
        )
      ).rows[0]?.attempts as number | undefined;
    await until(async () => ((await attempts()) ?? 0) >= 2 || undefined, 30_000, 'two failed attempts');
    expect(stack.sink.to(person.email)).toHaveLength(0);
    await proxy.restore();
    await expectOneConfirmationEach(stack, item.id, [person.email]);
    const { rows } = await stack.db.query(
      `SELECT d.status, d.attempts FROM deliveries d JOIN users u ON u.id = d.user_id
        WHERE d.item_id = $1 AND u.email = $2 AND d.channel = 'email'`,
      [item.id, person.email],
    );
    expect(rows[0].status).toBe('sent');
    expect(rows[0].attempts).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('fails a permanent 5xx at once and shows it on the admin desk', async () => {
    const { item } = await itemIn(stack);
    const person = await stack.world.signup({});
    await stack.db.query(`UPDATE users SET email = $1 WHERE id = $2`, [
      `unknown-${person.email}`,
      person.user.id,
    ]);
    await stack.world.ok(stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: person.token }));
    const admin = await stack.world.adminToken();
    const failed = await until(
      async () =>
        (
          await stack.world.ok(stack.api.get('/api/admin/deliveries?status=failed', { token: admin }))
        ).items.find((d: any) => d.userId === person.user.id && d.channel === 'email'),
      30_000,
      'the failed delivery on the desk',
    );
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.lastError).toMatch(/550/);
  }, 60_000);
});

describe('failing neighbours: a webhook receiver that hangs', () => {
  let stack: NotificationStack;
  let receiver: Server;
  const hanging: IncomingMessage[] = [];
  const closed: IncomingMessage[] = [];

  beforeAll(async () => {
    stack = await NotificationStack.start('webhook-hang', {
      WEBHOOK_TIMEOUT_MS: '400',
      DELIVERY_ATTEMPTS: '3',
      DELIVERY_BACKOFF_MS: '100',
    });
    // Reads the request and never answers.
    receiver = createServer((req) => {
      hanging.push(req);
      req.socket.on('close', () => closed.push(req));
      req.resume();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  }, 120_000);
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
    await stack.close();
  });

  it('gives up on each attempt after the timeout, retries, fails it; email and in-app are unaffected', async () => {
    const { setup, item } = await itemIn(stack);
    const hook = await stack.world.ok(
      stack.api.post(
        `/api/organizations/${setup.organizer.organization.id}/webhooks`,
        { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` },
        { token: setup.organizer.token },
      ),
    );
    const person = await stack.world.signup();
    await stack.world.ok(stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: person.token }));
    await stack.sink.waitFor(
      (m) => m.some((x) => x.to === person.email && isConfirmation(x)),
      30_000,
      'the email',
    );
    // The in-app notice is there (it is recorded before the batch's webhooks are sent, not after them).
    await until(
      async () =>
        (await stack.world.ok(stack.api.get('/api/me/notifications', { token: person.token }))).items.some(
          (n: any) => n.kind === 'registration_confirmed',
        ) || undefined,
      10_000,
      'the in-app notice',
    );

    const admin = await stack.world.adminToken();
    const failed = await until(
      async () =>
        (
          await stack.world.ok(stack.api.get('/api/admin/deliveries?status=failed', { token: admin }))
        ).items.find((d: any) => d.webhookId === hook.id),
      30_000,
      'the webhook delivery to fail',
    );
    expect(failed.status).toBe('failed');
    expect(failed.attempts).toBeGreaterThanOrEqual(3);
    expect(failed.lastError).toMatch(/did not answer within 400 ms/);
    // One request per attempt, all with one webhook-id, and the sender hung up on each (none is left open).
    expect(hanging).toHaveLength(failed.attempts);
    expect(new Set(hanging.map((r) => r.headers['webhook-id'])).size).toBe(1);
    await until(
      async () => (closed.length === hanging.length ? true : undefined),
      5_000,
      'the sender to hang up',
    );
  }, 90_000);
});
