import { expectProblem, TestApi } from '../support/api';
import { until } from '../support/smtp-sink';
import { NotificationStack, soonItem, soonProgramme } from '../support/stack';

/**
 * POST /api/programmes/:id/unpublish (API.md, Everyday management): the programme is a draft again, its public
 * pages 404 (no stale 200 or 304 from a kept fingerprint, on this API process or another), its registrants are
 * told once per unpublication in their language, and no reminder goes out for its items while it stays a draft.
 */
describe('unpublishing a programme', () => {
  let stack: NotificationStack;
  let replica: TestApi;

  beforeAll(async () => {
    stack = await NotificationStack.start('unpublish');
    replica = await TestApi.start(stack.env);
  }, 120_000);
  afterAll(async () => {
    await replica.close();
    await stack.close();
  });

  const unpublish = (programmeId: string, token: string) =>
    stack.api.post(`/api/programmes/${programmeId}/unpublish`, {}, { token });
  const lettersTo = (email: string, subject: string) =>
    stack.sink.to(email).filter((m) => m.subject.startsWith(subject));

  it('tells confirmed and waitlisted registrants once each, by e-mail and in the app; public reads 404 again', async () => {
    const { setup, item } = await soonItem(stack.world, { capacity: 1, space: 'room' });
    const { organizer, programme } = setup;
    const seated = await stack.world.signup({ locale: 'ru' });
    const waiting = await stack.world.signup();
    await stack.world.ok(stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: seated.token }));
    await stack.world.ok(stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: waiting.token }));

    // Public pages seen, and revalidated from the kept fingerprint, on both API processes.
    const pages = [
      `/programmes/${programme.id}?lang=en`,
      `/programmes/${programme.id}/items/${item.id}?lang=en`,
    ];
    const seen = new Map<string, string>();
    for (const on of [stack.api, replica])
      for (const path of pages) {
        const page = await on.get(path);
        expect(page.status).toBe(200);
        const etag = page.headers.get('etag') as string;
        expect((await on.get(path, { headers: { 'if-none-match': etag } })).status).toBe(304);
        seen.set(`${on === replica}|${path}`, etag);
      }

    const res = await unpublish(programme.id, organizer.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: programme.id, status: 'draft' });
    // A draft cannot be unpublished (409), nor deleted while its items hold registrations (409).
    expectProblem(await unpublish(programme.id, organizer.token), 409);
    expectProblem(await stack.api.delete(`/api/programmes/${programme.id}`, { token: organizer.token }), 409);

    // This process answers 404 at once; the other as soon as the database's notification reaches it.
    for (const path of pages) {
      const etag = seen.get(`false|${path}`) as string;
      expect((await stack.api.get(path, { headers: { 'if-none-match': etag } })).status).toBe(404);
      const other = await until(
        async () => {
          const answer = await replica.get(path, { headers: { 'if-none-match': seen.get(`true|${path}`)! } });
          return answer.status === 304 ? undefined : answer;
        },
        2_000,
        'the other API process to see the unpublication',
      );
      expect(other.status).toBe(404);
    }
    expectProblem(await stack.api.get(`/api/programmes/${programme.id}`), 404);
    expectProblem(await stack.api.get(`/api/items/${item.id}`), 404);
    expectProblem(await stack.api.get(`/api/programmes/${programme.id}/calendar.ics`), 404);
    const own = await stack.world.ok(
      stack.api.get(`/api/programmes/${programme.id}`, { token: organizer.token }),
    );
    expect(own.status).toBe('draft');

    await stack.sink.waitFor(
      () =>
        lettersTo(seated.email, 'Снято с публикации').length > 0 &&
        lettersTo(waiting.email, 'Taken off the published programme').length > 0,
      30_000,
      'both notices',
    );
    await stack.deliveriesSettled(item.id);
    const [ru] = lettersTo(seated.email, 'Снято с публикации');
    expect(ru.subject).toBe('Снято с публикации: «Future of alternative energy»');
    expect(ru.text).toContain('Ваша регистрация сохраняется');
    expect(lettersTo(seated.email, 'Снято с публикации')).toHaveLength(1);
    expect(lettersTo(waiting.email, 'Taken off the published programme')).toHaveLength(1);
    for (const person of [seated, waiting]) {
      const inbox = await stack.world.ok(stack.api.get('/api/me/notifications', { token: person.token }));
      expect(inbox.items.filter((n: any) => n.kind === 'programme_unpublished')).toEqual([
        expect.objectContaining({ itemId: item.id, channels: expect.arrayContaining(['in_app']) }),
      ]);
    }

    // Published again and unpublished again: a second event, told again (once).
    await stack.world.ok(
      stack.api.post(`/api/programmes/${programme.id}/publish`, {}, { token: organizer.token }),
    );
    expect((await stack.api.get(pages[0])).status).toBe(200);
    await stack.world.ok(unpublish(programme.id, organizer.token));
    await stack.sink.waitFor(
      () => lettersTo(waiting.email, 'Taken off the published programme').length === 2,
      30_000,
      'the second notice',
    );
    await stack.deliveriesSettled(item.id);
    expect(lettersTo(seated.email, 'Снято с публикации')).toHaveLength(2);
  }, 120_000);

  it('sends no reminder for an item of a programme unpublished before the reminder is due', async () => {
    const person = await stack.world.signup();
    const setup = await soonProgramme(stack.world, { reminderOffsetsMinutes: [1] });
    const startsAt = new Date(Math.ceil((Date.now() + 66_000) / 1000) * 1000);
    const item = await stack.world.ok(
      stack.api.post(
        `/api/programmes/${setup.programme.id}/items`,
        {
          type: 'round_table',
          title: 'Round table on smart cities',
          spaceId: setup.tree.room.id,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 1800_000).toISOString(),
        },
        { token: setup.organizer.token },
      ),
    );
    await stack.world.ok(stack.api.post(`/api/items/${item.id}/registrations`, {}, { token: person.token }));
    await until(
      async () => ((await stack.workerQueueJob(`reminder-${item.id}-1-v1`)) ? true : undefined),
      10_000,
      'the reminder job',
    );
    await stack.world.ok(unpublish(setup.programme.id, setup.organizer.token));
    await stack.sink.waitFor(
      () => lettersTo(person.email, 'Taken off the published programme').length > 0,
      20_000,
      'the notice',
    );
    // Proving an absence needs the due time to pass; then the backstop has had its chances too.
    const dueAt = startsAt.getTime() - 60_000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueAt - Date.now()) + 2500));
    expect(lettersTo(person.email, 'Reminder')).toEqual([]);
    const { rows } = await stack.db.query(
      `SELECT count(*)::int AS n FROM deliveries WHERE item_id = $1 AND kind = 'reminder' AND status = 'sent'`,
      [item.id],
    );
    expect(rows[0].n).toBe(0);
  }, 120_000);
});
