import { expectProblem } from '../support/api';
import { until } from '../support/smtp-sink';
import { overlap, range, schedulingWorld, waitForRun } from '../support/scheduling-world';
import { NotificationStack } from '../support/stack';

async function register(stack: NotificationStack, itemId: string) {
  const person = await stack.world.signup();
  await stack.world.ok(stack.api.post(`/api/items/${itemId}/registrations`, {}, { token: person.token }));
  return person;
}

describe('re-planning a published programme after a closure', () => {
  let stack: NotificationStack;
  beforeAll(async () => (stack = await NotificationStack.start('replan')));
  afterAll(async () => stack.close());

  it('closes a hall for an afternoon: its registered items read displaced, a scope "all" run moves only them, and each registrant gets one change notice', async () => {
    const { tree, conference, admin, organizer, programme, day1, day2, token, place } = await schedulingWorld(
      stack,
      100,
    );
    const api = stack.api;
    const hall = tree.hall;
    const morning = await place('Morning in the hall', hall.id, `${day1}T10:00`, `${day1}T11:00`);
    const first = await place('Green energy', hall.id, `${day1}T13:00`, `${day1}T14:00`);
    const second = await place('Smart cities', hall.id, `${day1}T15:00`, `${day1}T16:30`);
    const elsewhere = await place('Elsewhere', conference.id, `${day1}T14:00`, `${day1}T15:00`);
    const speaker = await stack.world.speaker(token, 'Dana Late-Change');
    const withSpeaker = await place('With a speaker', tree.room.id, `${day2}T10:00`, `${day2}T11:00`, {
      speakerIds: [speaker.id],
    });
    const registrants = {
      [first.id]: [await register(stack, first.id), await register(stack, first.id)],
      [second.id]: [await register(stack, second.id)],
      [withSpeaker.id]: [await register(stack, withSpeaker.id)],
    };
    const bystander = await register(stack, elsewhere.id);
    const stayer = await register(stack, morning.id);

    // The hall closes for the afternoon of day 1.
    const closure = await api.post(
      `/api/spaces/${hall.id}/closures`,
      { from: `${day1}T12:30`, to: `${day1}T21:00`, reason: 'Ceiling repairs' },
      { token: admin },
    );
    expect(closure.status).toBe(201);
    expect(closure.body).toMatchObject({
      spaceId: hall.id,
      from: `${day1}T12:30:00Z`,
      to: `${day1}T21:00:00Z`,
      reason: 'Ceiling repairs',
    });
    expect([...closure.body.displacedItemIds].sort()).toEqual([first.id, second.id].sort());
    expect((await api.post(`/api/spaces/${hall.id}/closures`, {}, { token })).status).toBe(403);
    const listed = await stack.world.ok(api.get(`/api/spaces/${hall.id}/closures`, { token: admin }));
    expect(listed.items).toEqual([expect.objectContaining({ id: closure.body.id })]);

    // The speaker can no longer come on the morning of day 2.
    await stack.world.ok(
      api.patch(
        `/api/speakers/${speaker.id}`,
        { availability: [{ from: `${day2}T14:00:00Z`, to: `${day2}T21:00:00Z` }] },
        { token },
      ),
    );

    // Displaced items keep their place, stay public and registrable, and say why.
    for (const item of [first, second]) {
      const seen = await stack.world.ok(api.get(`/api/items/${item.id}`));
      expect(seen).toMatchObject({
        status: 'scheduled',
        displaced: true,
        displacedBy: [expect.objectContaining({ code: 'space_closed', closureId: closure.body.id })],
        startsAt: item.startsAt,
        version: 1,
      });
    }
    const late = await stack.world.ok(api.get(`/api/items/${withSpeaker.id}`));
    expect(late).toMatchObject({
      displaced: true,
      displacedBy: [expect.objectContaining({ code: 'speaker_unavailable', speakerId: speaker.id })],
    });
    for (const item of [morning, elsewhere])
      expect(await stack.world.ok(api.get(`/api/items/${item.id}`))).toMatchObject({
        displaced: false,
        displacedBy: [],
      });
    registrants[second.id].push(await register(stack, second.id));

    // Nothing new goes into the closed hall then: a 409 naming the closure.
    const refused = await api.post(
      `/api/programmes/${programme.id}/items`,
      {
        type: 'other',
        title: 'Into the closed hall',
        spaceId: hall.id,
        startsAt: `${day1}T17:00`,
        endsAt: `${day1}T18:00`,
      },
      { token },
    );
    expectProblem(refused, 409);
    expect(refused.body.conflicts).toEqual([
      expect.objectContaining({ closureId: closure.body.id, title: 'Ceiling repairs' }),
    ]);
    const moveIn = await api.patch(
      `/api/items/${morning.id}`,
      { startsAt: `${day1}T12:00`, endsAt: `${day1}T13:00` },
      { token },
    );
    expectProblem(moveIn, 409);

    // The organizers are told, in the app.
    const told = await until(async () => {
      const inbox = (await api.get('/api/me/notifications', { token: organizer.token })).body.items ?? [];
      const displaced = inbox.filter((n: any) => n.kind === 'item_displaced');
      return displaced.length === 3 ? displaced : undefined;
    }, 20_000);
    expect(told.map((n: any) => n.itemId).sort()).toEqual([first.id, second.id, withSpeaker.id].sort());
    expect(told.find((n: any) => n.itemId === first.id).body).toContain('Ceiling repairs');

    // Re-plan: every displaced item moves, nothing else does.
    const started = await stack.world.ok(
      api.post(
        `/api/programmes/${programme.id}/scheduling-runs`,
        { scope: 'all', timeLimitSeconds: 10 },
        { token },
      ),
    );
    const run = await waitForRun(stack, token, started.id);
    expect(run).toMatchObject({ status: 'done', unplaced: [], score: { hard: 0 } });
    const displacedIds = [first.id, second.id, withSpeaker.id].sort();
    expect(run.placements.map((p: any) => p.itemId).sort()).toEqual(displacedIds);
    const closed = range(`${day1}T12:30Z`, `${day1}T21:00Z`);
    const standing = [morning, elsewhere].map((i) => ({
      ...range(i.startsAt, i.endsAt),
      spaceId: i.spaceId,
    }));
    for (const p of run.placements) {
      const before = [first, second, withSpeaker].find((i) => i.id === p.itemId);
      const at = range(p.startsAt, p.endsAt);
      expect(p).toMatchObject({
        moved: true,
        previous: { spaceId: before.spaceId, startsAt: before.startsAt, endsAt: before.endsAt },
        why: expect.any(String),
      });
      expect(at.end - at.start).toBe(Date.parse(before.endsAt) - Date.parse(before.startsAt));
      if (p.spaceId === hall.id) expect(overlap(at, closed)).toBe(false);
      if (p.itemId === withSpeaker.id)
        expect(at.start >= Date.parse(`${day2}T14:00Z`) && at.end <= Date.parse(`${day2}T21:00Z`)).toBe(true);
      for (const other of [
        ...standing,
        ...run.placements
          .filter((o: any) => o !== p)
          .map((o: any) => ({ ...range(o.startsAt, o.endsAt), spaceId: o.spaceId })),
      ])
        if (other.spaceId === p.spaceId) expect(overlap(at, other)).toBe(false);
    }

    const applied = await api.post(`/api/scheduling-runs/${run.id}/apply`, {}, { token });
    expect(applied.status).toBe(200);
    expect(applied.body).toEqual({ applied: 3 });
    for (const p of run.placements) {
      const now = await stack.world.ok(api.get(`/api/items/${p.itemId}`));
      expect(now).toMatchObject({
        displaced: false,
        displacedBy: [],
        version: 2,
        spaceId: p.spaceId,
        startsAt: p.startsAt,
      });
    }

    // Each registrant of a moved item gets exactly one change notice; the others none.
    const movedTo = (email: string) => stack.sink.to(email).filter((m) => m.subject.startsWith('Moved'));
    const everyone = Object.values(registrants).flat();
    await stack.sink.waitFor(
      () => everyone.every((p) => movedTo(p.email).length >= 1),
      30_000,
      'the change notices',
    );
    await until(async () => {
      const { rows } = await stack.db.query(
        `SELECT (SELECT count(*)::int FROM outbox WHERE relayed_at IS NULL)
              + (SELECT count(*)::int FROM deliveries WHERE status IN ('pending', 'sending')) AS busy`,
      );
      return rows[0].busy === 0 ? true : undefined;
    }, 20_000);
    for (const person of everyone) expect(movedTo(person.email)).toHaveLength(1);
    for (const person of [bystander, stayer]) expect(movedTo(person.email)).toEqual([]);
  });

  it('serializes closing a space with booking it: a concurrent booking is either refused or displaced', async () => {
    const { tree, admin, programme, day2, token } = await schedulingWorld(stack, 100);
    for (let hour = 9; hour < 19; hour++) {
      const at = (h: number) => `${day2}T${String(h).padStart(2, '0')}:00`;
      const [closed, booked] = await Promise.all([
        stack.api.post(
          `/api/spaces/${tree.room.id}/closures`,
          { from: at(hour), to: at(hour + 1), reason: `Closed at ${hour}` },
          { token: admin },
        ),
        stack.api.post(
          `/api/programmes/${programme.id}/items`,
          {
            type: 'other',
            title: `Booked at ${hour}`,
            spaceId: tree.room.id,
            startsAt: at(hour),
            endsAt: at(hour + 1),
          },
          { token },
        ),
      ]);
      expect(closed.status).toBe(201);
      if (booked.status === 201) {
        expect(closed.body.displacedItemIds).toEqual([booked.body.id]);
        expect(await stack.world.ok(stack.api.get(`/api/items/${booked.body.id}`))).toMatchObject({
          displaced: true,
        });
      } else {
        expectProblem(booked, 409);
        expect(booked.body.conflicts).toEqual([expect.objectContaining({ closureId: closed.body.id })]);
        expect(closed.body.displacedItemIds).toEqual([]);
      }
    }
  });

  it('takes a closure back: its items are no longer displaced', async () => {
    const { tree, admin, day1, place } = await schedulingWorld(stack, 100);
    const item = await place('In the room', tree.room.id, `${day1}T10:00`, `${day1}T11:00`);
    const closure = await stack.world.ok(
      stack.api.post(
        `/api/spaces/${tree.room.id}/closures`,
        { from: `${day1}T00:00`, to: `${day1}T23:59`, reason: 'Private event' },
        { token: admin },
      ),
    );
    expect(closure.displacedItemIds).toEqual([item.id]);
    expect(await stack.world.ok(stack.api.get(`/api/items/${item.id}`))).toMatchObject({ displaced: true });
    const bad = await stack.api.post(
      `/api/spaces/${tree.room.id}/closures`,
      { from: `${day1}T12:00`, to: `${day1}T11:00`, reason: 'Backwards' },
      { token: admin },
    );
    expectProblem(bad, 400);
    expect((await stack.api.delete(`/api/closures/${closure.id}`, { token: admin })).status).toBe(204);
    expect((await stack.api.delete(`/api/closures/${closure.id}`, { token: admin })).status).toBe(404);
    expect(await stack.world.ok(stack.api.get(`/api/items/${item.id}`))).toMatchObject({
      displaced: false,
      displacedBy: [],
    });
  });

  it('shows unplaced items to the programme’s organizers in the item list, never to the public', async () => {
    const { programme, day1, tree, token, place } = await schedulingWorld(stack, 100);
    const placed = await place('Placed', tree.hall.id, `${day1}T10:00`, `${day1}T11:00`);
    const unplaced: any[] = [];
    for (const title of ['Unplaced one', 'Unplaced two'])
      unplaced.push(
        await stack.world.item(token, programme, { type: 'conference', title, durationMinutes: 60 }),
      );
    const publicList = await stack.world.ok(stack.api.get(`/api/programmes/${programme.id}/items`));
    expect(publicList.items.map((i: any) => i.id)).toEqual([placed.id]);
    // Page by page (one per page), the owner sees the placed item first, then the unplaced ones.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await stack.world.ok(
        stack.api.get(`/api/programmes/${programme.id}/items?limit=1${cursor ? `&cursor=${cursor}` : ''}`, {
          token,
        }),
      );
      seen.push(...page.items.map((i: any) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([placed.id, ...unplaced.map((i) => i.id).sort()]);
  });
});
