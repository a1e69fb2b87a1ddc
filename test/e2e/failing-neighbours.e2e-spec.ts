import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApiResponse, expectProblem } from '../support/api';
import { until } from '../support/smtp-sink';
import { NotificationStack, soonItem } from '../support/stack';
import { TcpProxy } from '../support/tcp-proxy';
import { World } from '../support/world';

/**
 * PostgreSQL, Redis, SMTP and a webhook receiver failing under the running apps. The shared PostgreSQL and
 * Redis are never stopped: the apps reach them through a TcpProxy that the test cuts and restores.
 */

const isConfirmation = (m: { subject: string }) => m.subject.startsWith('Confirmed');

const itemIn = (stack: NotificationStack) => soonItem(stack.world);

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
  const connectTimeoutMs = 1000;
  /** What a loaded two-core machine may add to the connect timeout before a 503 leaves the API. */
  const slackMs = 2000;
  let proxy: TcpProxy;
  let stack: NotificationStack;

  beforeAll(async () => {
    proxy = await TcpProxy.start(process.env.DATABASE_URL as string);
    stack = await NotificationStack.start(
      'pg-outage',
      {
        DATABASE_CONNECT_TIMEOUT_MS: String(connectTimeoutMs),
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

  it('answers 503 problem+json within the connect timeout during the outage, recovers by itself, loses and doubles nothing', async () => {
    const { item } = await itemIn(stack);
    const people = [];
    for (let i = 0; i < 16; i++) people.push(await stack.world.signup());

    type Phase = 'up' | 'refusing' | 'silent';
    let phase: Phase = 'up';
    const answers: { res: ApiResponse; ms: number; phase: Phase }[] = [];
    const during = (p: Phase) => answers.filter((a) => a.phase === p && a.res.status === 503);
    let confirmed = 0;
    /** An attendee's app: registers, and on a 503 tries again until the API answers 201 (or 409: it already is). */
    const attendee = async (token: string) => {
      for (;;) {
        // The phase a request is sent in (one sent just before a switch may be answered under the next).
        const sentIn = phase;
        const started = Date.now();
        const res = await stack.api.post(`/api/items/${item.id}/registrations`, {}, { token });
        answers.push({ res, ms: Date.now() - started, phase: sentIn === phase ? sentIn : 'up' });
        if (res.status === 201 || res.status === 409) return res.status === 201 && confirmed++;
        if (res.status !== 503) throw new Error(`unexpected ${res.status}: ${res.text}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    // Arrivals spread over 5 s, so that most come while PostgreSQL is away (a group commit takes all who
    // arrived together at once).
    const load = Promise.all(
      people.map((p, i) => new Promise((r) => setTimeout(r, i * 300)).then(() => attendee(p.token))),
    );
    await until(async () => (confirmed >= 3 ? true : undefined), 30_000, 'the first registrations');
    // A restart: connections drop, new ones are refused.
    phase = 'refusing';
    await proxy.cut();
    await until(async () => during('refusing').length >= 3 || undefined, 30_000, 'answers while refused');
    expect((await stack.api.get('/health/ready')).status).toBe(503);
    // Then a PostgreSQL that takes connections and never answers: only the connect timeout ends the wait.
    phase = 'silent';
    await proxy.hang();
    await until(async () => during('silent').length >= 3 || undefined, 30_000, 'answers while silent');
    // Some came while it was away, and were not lost.
    expect(confirmed).toBeLessThan(people.length);
    const readyStarted = Date.now();
    expect((await stack.api.get('/health/ready')).status).toBe(503);
    expect(Date.now() - readyStarted).toBeLessThan(connectTimeoutMs + slackMs);
    phase = 'up';
    await proxy.restore();
    await load;

    for (const { res } of answers.filter((a) => a.res.status === 503)) {
      expectProblem(res, 503);
      expect(res.headers.get('retry-after')).toBe('5');
    }
    // Bounded: no request waited past the connect timeout (and a little for a busy machine) for its 503; with
    // a silent server the timeout is what ended each wait.
    const waits = (p: Phase) => during(p).map((a) => a.ms);
    expect(Math.max(...waits('refusing'), ...waits('silent'))).toBeLessThan(connectTimeoutMs + slackMs);
    expect(Math.min(...waits('silent'))).toBeGreaterThanOrEqual(connectTimeoutMs * 0.9);
    expect(answers.every((a) => [201, 409, 503].includes(a.res.status))).toBe(true);
    const { rows } = await stack.db.query(
      `SELECT user_id, count(*)::int AS n FROM registrations WHERE item_id = $1 AND status <> 'cancelled' GROUP BY user_id`,
      [item.id],
    );
    expect(rows).toHaveLength(people.length);
    expect(rows.every((r: { n: number }) => r.n === 1)).toBe(true);
    // Ready again by itself: a probe right after the outage may still time out (2 s) while the pool replaces its
    // connections on a machine busy with other suites, as a platform's next probe would then see it ready.
    await until(
      async () => ((await stack.api.get('/health/ready')).status === 200 ? true : undefined),
      connectTimeoutMs + 10_000,
      'the API ready again after the outage',
    );
    // The worker came back too: the outbox delivers every confirmation, once.
    await expectOneConfirmationEach(
      stack,
      item.id,
      people.map((p) => p.email),
      true,
    );
  }, 180_000);
});

describe('failing neighbours: Redis down for 30 s', () => {
  const outageMs = 30_000;
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
    const people: Awaited<ReturnType<World['signup']>>[] = [];
    for (let i = 0; i < 6; i++) people.push(await stack.world.signup());
    // One confirmation already on its way before the outage.
    await stack.world.ok(
      stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: people[0].token }),
    );
    await stack.sink.waitFor((m) => m.some(isConfirmation), 30_000, 'the confirmation before the outage');

    await proxy.cut();
    const cutAt = Date.now();
    /** Rate-limited routes fail closed, and soon: a limit that cannot be counted is not skipped. */
    const expectLoginRefusedSoon = async () => {
      const started = Date.now();
      const login = await stack.api.post('/api/auth/login', {
        email: people[0].email,
        password: people[0].password,
      });
      expectProblem(login, 503);
      expect(Date.now() - started).toBeLessThan(5_000);
    };
    await expectLoginRefusedSoon();
    // Registrations need only PostgreSQL (the outbox row is written with the registration): spread over the
    // outage, each one succeeds.
    const rest = people.slice(1);
    for (const [i, person] of rest.entries()) {
      await new Promise((r) => setTimeout(r, Math.max(0, cutAt + (i * outageMs) / rest.length - Date.now())));
      const res = await stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: person.token });
      expect(res.status).toBe(201);
    }
    expect((await stack.api.get('/health/ready')).status).toBe(503);
    await new Promise((r) => setTimeout(r, Math.max(0, cutAt + outageMs - 1_000 - Date.now())));
    await expectLoginRefusedSoon();
    // Nothing could be sent while the queues were away.
    expect(stack.sink.messages.filter(isConfirmation)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, Math.max(0, cutAt + outageMs - Date.now())));
    expect(Date.now() - cutAt).toBeGreaterThanOrEqual(outageMs);

    const before = proxy.accepted;
    await proxy.restore();
    await expectOneConfirmationEach(
      stack,
      item.id,
      people.map((p) => p.email),
    );
    // Exactly one confirmation each, and nothing else sent twice.
    const confirmations = stack.sink.messages.filter(isConfirmation);
    expect(confirmations).toHaveLength(people.length);
    expect(new Set(confirmations.map((m) => m.to))).toEqual(new Set(people.map((p) => p.email)));
    expect(new Set(stack.sink.messages.map((m) => m.messageId)).size).toBe(stack.sink.messages.length);
    expect(proxy.accepted).toBeGreaterThan(before);
    expect(
      (await stack.api.post('/api/auth/login', { email: people[0].email, password: people[0].password }))
        .status,
    ).toBe(200);
  }, 120_000);
});

describe('failing neighbours: the SMTP server down, then back; a permanent refusal', () => {
  /**
   * Production's minute of SMTP outage at a tenth of the time: the default backoff (2 s, doubling over 6
   * attempts) keeps trying for 62 s; here 200 ms doubling over 9 attempts keeps trying for 51 s, and the server
   * is away for 15 s, through six or seven attempts (the next comes about 10 s after it is back).
   */
  const backoffMs = 200;
  const outageMs = 15_000;
  let proxy: TcpProxy;
  let stack: NotificationStack;

  beforeAll(async () => {
    // The sink starts with the stack: the proxy learns its port once it exists.
    proxy = await TcpProxy.start('smtp://127.0.0.1:1');
    stack = await NotificationStack.start(
      'smtp-outage',
      {
        DELIVERY_BACKOFF_MS: String(backoffMs),
        DELIVERY_ATTEMPTS: '9',
        // The backstop re-adds a pending delivery untouched for a sweep period: kept out of the way here, so
        // what is seen is the send job's own backoff.
        REMINDER_SWEEP_SECONDS: '60',
      },
      { through: { smtp: proxy } },
    );
    proxy.retarget(stack.sink.url);
  }, 120_000);
  afterEach(() => proxy.restore());
  afterAll(async () => {
    await stack.close();
    await proxy.close();
  });

  it('retries with growing backoff while SMTP is down and delivers once when it is back', async () => {
    const { item } = await itemIn(stack);
    const person = await stack.world.signup();
    const delivery = async () =>
      (
        await stack.db.query(
          `SELECT d.status, d.attempts FROM deliveries d JOIN users u ON u.id = d.user_id
            WHERE d.item_id = $1 AND u.email = $2 AND d.channel = 'email'`,
          [item.id, person.email],
        )
      ).rows[0] as { status: string; attempts: number } | undefined;
    await proxy.cut();
    const downAt = Date.now();
    await stack.world.ok(stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: person.token }));
    // When each attempt began (a claim counts it), watched for as long as the server is away.
    const began: number[] = [];
    while (Date.now() - downAt < outageMs) {
      const attempts = (await delivery())?.attempts ?? 0;
      while (began.length < attempts) began.push(Date.now());
      await new Promise((r) => setTimeout(r, 25));
    }
    const duringOutage = (await delivery())!;
    // Waiting for its next attempt, or in one; never given up on.
    expect(['pending', 'sending']).toContain(duringOutage.status);
    expect(began.length).toBeGreaterThanOrEqual(5);
    expect(stack.sink.to(person.email)).toHaveLength(0);
    // The waits never fall below DELIVERY_BACKOFF_MS and they grow (a delay that doubles from it). How much of
    // the doubling shows depends on when the worker takes a delayed job up, so only the growth is asserted: the
    // last wait is longer than the first by at least two backoffs (fixed-interval retries would fail this).
    const gaps = began.slice(1).map((t, i) => t - began[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(backoffMs * 0.9);
    expect(gaps[gaps.length - 1]).toBeGreaterThanOrEqual(gaps[0] + 2 * backoffMs);

    await proxy.restore();
    await expectOneConfirmationEach(stack, item.id, [person.email]);
    const after = (await delivery())!;
    expect(after.status).toBe('sent');
    expect(after.attempts).toBeGreaterThan(duringOutage.attempts);
  }, 90_000);

  it('fails a permanent 5xx at once and shows it on the admin desk', async () => {
    const { item } = await itemIn(stack);
    const person = await stack.world.signup({});
    await stack.db.query(`UPDATE users SET email = $1 WHERE id = $2`, [
      `unknown-${person.email}`,
      person.user.id,
    ]);
    await stack.world.ok(stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: person.token }));
    const failed = await stack.failedDelivery(
      (d) => d.userId === person.user.id && d.channel === 'email',
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

    const failed = await stack.failedDelivery((d) => d.webhookId === hook.id, 'the webhook delivery to fail');
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
