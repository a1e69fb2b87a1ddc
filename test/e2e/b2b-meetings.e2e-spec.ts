import { expectProblem } from '../support/api';
import { until } from '../support/smtp-sink';
import { NotificationStack } from '../support/stack';

/** Runs `work` over `inputs` with at most `width` at once (sign-ups hash passwords: keep the machine usable). */
async function pool<T, R>(
  inputs: T[],
  width: number,
  work: (input: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(inputs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < inputs.length) {
        const i = next++;
        results[i] = await work(inputs[i], i);
      }
    }),
  );
  return results;
}

const ms = (iso: string) => new Date(iso).getTime();

describe('B2B meetings: matchmaking, a schedule the worker builds, meetings the database keeps apart', () => {
  let stack: NotificationStack;
  let admin: string;
  let organizer: { organization: any; token: string };
  let programme: any;
  let tree: any;
  let zone: any;
  let session: any;
  const people: { token: string; user: any; participant?: any }[] = [];
  const requests: any[] = [];

  const api = () => stack.api;
  const ok = <T = any>(p: Promise<{ status: number; body: T; text: string }>) => stack.world.ok<T>(p);

  beforeAll(async () => {
    stack = await NotificationStack.start('b2b');
    admin = await stack.world.adminToken();
    tree = await stack.world.venueTree({
      openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '24:00' })),
    });
    zone = await ok(
      api().post(
        `/api/pavilions/${tree.pavilion.id}/spaces`,
        { name: 'B2B zone', capacity: 40, kind: 'b2b_zone', tables: 5 },
        { token: admin },
      ),
    );
    organizer = await stack.world.organizer();
    programme = await stack.world.programme(organizer, tree.pavilion, {
      startsOn: '2031-06-02',
      endsOn: '2031-06-03',
      publish: true,
    });
    // 8 slots of 20 minutes × 5 tables.
    session = await ok(
      api().post(
        `/api/programmes/${programme.id}/items`,
        {
          type: 'b2b_meetings',
          title: 'Meetings with business',
          spaceId: zone.id,
          startsAt: '2031-06-02T10:00',
          endsAt: '2031-06-02T12:40',
        },
        { token: organizer.token },
      ),
    );
    people.push(...(await pool(Array.from({ length: 30 }), 4, () => stack.world.signup())));
  }, 240_000);
  afterAll(() => stack.close());

  it('makes a b2b_meetings item in a b2b zone a session with 20-minute slots; tables only in b2b zones', async () => {
    expect(zone.tables).toBe(5);
    expect(session).toMatchObject({ meetingMinutes: 20, requestsPerParticipant: 20, requestsCloseAt: null });
    const refused = await api().post(
      `/api/pavilions/${tree.pavilion.id}/spaces`,
      { name: 'Hall with tables', capacity: 40, kind: 'hall', tables: 3 },
      { token: admin },
    );
    expectProblem(refused, 400);
    const notSession = await api().post(
      `/api/programmes/${programme.id}/items`,
      {
        type: 'round_table',
        title: 'x',
        spaceId: tree.hall.id,
        startsAt: '2031-06-03T10:00',
        endsAt: '2031-06-03T11:00',
        meetingMinutes: 30,
      },
      { token: organizer.token },
    );
    expectProblem(notSession, 400);
  });

  it('lets 30 participants join, find each other, send and accept 60 requests; schedules, checks and publishes them', async () => {
    // Person 0 is confirmed for a round table at 10:00–10:40 (slots 0 and 1); person 1 is unavailable 11:00–11:40
    // (slots 3 and 4); persons 27 (en) and 28 (kk) share no language.
    const roundTable = await ok(
      api().post(
        `/api/programmes/${programme.id}/items`,
        {
          type: 'round_table',
          title: 'Energy round table',
          spaceId: tree.hall.id,
          startsAt: '2031-06-02T10:00',
          endsAt: '2031-06-02T10:40',
        },
        { token: organizer.token },
      ),
    );
    expect(
      (await api().post(`/api/items/${roundTable.id}/registrations`, {}, { token: people[0].token })).body
        .status,
    ).toBe('confirmed');

    await pool(people, 4, async (p, i) => {
      p.participant = await ok(
        api().post(
          `/api/items/${session.id}/b2b/participants`,
          {
            company: `Company ${i}`,
            sector: i % 2 ? 'metallurgy' : 'energy',
            offers: [i % 2 ? 'steel pipes' : 'solar panels'],
            seeks: [i % 2 ? 'solar panels' : 'steel pipes'],
            languages: i === 27 ? ['en'] : i === 28 ? ['kk'] : ['ru', 'kk'],
            ...(i === 1 && { unavailable: [{ from: '2031-06-02T11:00', to: '2031-06-02T11:40' }] }),
          },
          { token: p.token },
        ),
      );
    });
    expect(
      people[1].participant.unavailable.map((r: any) => [
        ms(r.from) - ms(session.startsAt),
        ms(r.to) - ms(session.startsAt),
      ]),
    ).toEqual([[3600_000, 6000_000]]);

    // Only participants and the session's organizers see profiles.
    const outsider = await stack.world.signup();
    expectProblem(
      await api().get(`/api/items/${session.id}/b2b/participants`, { token: outsider.token }),
      403,
    );
    const catalogue = await ok(
      api().get(`/api/items/${session.id}/b2b/participants?sector=energy&limit=200`, {
        token: people[3].token,
      }),
    );
    expect(catalogue.items).toHaveLength(15);
    expect(
      (await ok(api().get(`/api/items/${session.id}/b2b/participants?limit=200`, { token: organizer.token })))
        .items,
    ).toHaveLength(30);
    const suggestions = await ok(
      api().get(`/api/items/${session.id}/b2b/suggestions`, { token: people[0].token }),
    );
    expect(suggestions.items[0].participant.sector).toBe('metallurgy');
    expect(suggestions.items[0].because[0]).toContain('they offer what you seek');

    // 60 requests: i → i+1 and i → i+7 (mod 30), each accepted by the other side.
    const pairs = people.flatMap((_, i) => [
      [i, (i + 1) % 30],
      [i, (i + 7) % 30],
    ]);
    const sent = await pool(pairs, 4, ([from, to]) =>
      ok(
        api().post(
          `/api/items/${session.id}/b2b/requests`,
          { toParticipantId: people[to].participant.id },
          { token: people[from].token },
        ),
      ),
    );
    requests.push(...sent);
    expect(sent.every((r) => r.status === 'pending')).toBe(true);

    // The same pair again, in either direction, and a request to oneself: 409.
    expectProblem(
      await api().post(
        `/api/items/${session.id}/b2b/requests`,
        { toParticipantId: people[1].participant.id },
        { token: people[0].token },
      ),
      409,
    );
    expectProblem(
      await api().post(
        `/api/items/${session.id}/b2b/requests`,
        { toParticipantId: people[0].participant.id },
        { token: people[1].token },
      ),
      409,
    );
    expectProblem(
      await api().post(
        `/api/items/${session.id}/b2b/requests`,
        { toParticipantId: people[0].participant.id },
        { token: people[0].token },
      ),
      409,
    );
    // Only the requested participant answers.
    expectProblem(
      await api().post(`/api/b2b/requests/${sent[0].id}/accept`, {}, { token: people[5].token }),
      403,
    );

    await pool(pairs, 4, async ([, to], k) => {
      const answered = await ok(
        api().post(`/api/b2b/requests/${sent[k].id}/accept`, {}, { token: people[to].token }),
      );
      expect(answered.status).toBe('accepted');
    });
    const mine = await ok(api().get('/api/me/b2b/requests', { token: people[0].token }));
    expect(mine.items.map((r: any) => r.direction).sort()).toEqual(['received', 'received', 'sent', 'sent']);

    // Another organization's organizer may not run or publish.
    const stranger = await stack.world.organizer();
    expectProblem(
      await api().post(`/api/items/${session.id}/b2b/schedule-runs`, {}, { token: stranger.token }),
      403,
    );

    const started = await api().post(
      `/api/items/${session.id}/b2b/schedule-runs`,
      { timeLimitSeconds: 5 },
      { token: organizer.token },
    );
    expect(started.status).toBe(202);
    expect(started.body.status).toBe('queued');
    const run = await until(
      async () => {
        const r = await ok(
          api().get(`/api/b2b/schedule-runs/${started.body.id}`, { token: organizer.token }),
        );
        return r.status === 'done' ? r : undefined;
      },
      30_000,
      'the run to finish',
    );
    expectProblem(
      await api().get(`/api/b2b/schedule-runs/${started.body.id}`, { token: stranger.token }),
      403,
    );

    // The test checks every rule itself.
    const byId = new Map(sent.map((r, k) => [r.id, pairs[k]]));
    const sessionStart = ms(session.startsAt);
    const seen = new Set<string>();
    for (const m of run.meetings) {
      const slot = (ms(m.slotStartsAt) - sessionStart) / (20 * 60_000);
      expect(Number.isInteger(slot) && slot >= 0 && slot < 8).toBe(true);
      expect(ms(m.slotEndsAt) - ms(m.slotStartsAt)).toBe(20 * 60_000);
      expect(m.table >= 1 && m.table <= 5).toBe(true);
      const [a, b] = byId.get(m.requestId) as number[];
      for (const key of [`t${m.table}/${slot}`, `p${a}/${slot}`, `p${b}/${slot}`]) {
        expect(seen.has(key)).toBe(false);
        seen.add(key);
      }
      if (a === 0 || b === 0) expect(slot).toBeGreaterThanOrEqual(2);
      if (a === 1 || b === 1) expect([3, 4]).not.toContain(slot);
      expect([a, b].sort()).not.toEqual([27, 28]);
    }
    const noLanguage = sent[pairs.findIndex(([a, b]) => a === 27 && b === 28)].id;
    expect(
      run.unscheduled.find((u: any) => u.requestId === noLanguage).reasons.map((r: any) => r.code),
    ).toEqual(['no_shared_language']);
    expect(run.meetings.length + run.unscheduled.length).toBe(60);
    expect(run.stats).toMatchObject({ accepted: 60, scheduled: run.meetings.length });
    expect(run.stats.upperBound).toBeGreaterThanOrEqual(run.stats.scheduled);
    expect(run.stats.scheduled).toBeGreaterThanOrEqual(35);
    for (const u of run.unscheduled)
      for (const reason of u.reasons)
        expect(['no_shared_language', 'person_busy', 'no_table', 'unavailable', 'time_limit']).toContain(
          reason.code,
        );

    expectProblem(
      await api().post(`/api/b2b/schedule-runs/${run.id}/publish`, {}, { token: stranger.token }),
      403,
    );
    const published = await ok(
      api().post(`/api/b2b/schedule-runs/${run.id}/publish`, {}, { token: organizer.token }),
    );
    expect(published.published).toBe(run.meetings.length);
    expectProblem(
      await api().post(`/api/b2b/schedule-runs/${run.id}/publish`, {}, { token: organizer.token }),
      409,
    );

    const first = run.meetings[0];
    const [a, b] = byId.get(first.requestId) as number[];
    const theirs = await ok(api().get('/api/me/meetings', { token: people[a].token }));
    const meeting = theirs.items.find((m: any) => m.requestId === first.requestId);
    expect(meeting).toMatchObject({
      status: 'scheduled',
      slotStartsAt: first.slotStartsAt,
      table: first.table,
      counterpart: { participantId: people[b].participant.id, company: `Company ${b}` },
    });
    // Both parties' personal ICS feeds carry the meeting with its table number.
    for (const person of [people[a], people[b]]) {
      const { calendarFeedToken } = await ok(api().get('/api/me', { token: person.token }));
      const feed = await api().get(`/api/me/agenda.ics?token=${calendarFeedToken}`);
      expect(feed.text).toContain(`UID:${meeting.id}@pavilion-b2b`);
      expect(feed.text).toContain(`table ${first.table}`);
    }
    const counts = await ok(api().get(`/api/items/${session.id}/b2b/stats`, { token: organizer.token }));
    expect(counts).toMatchObject({
      participants: 30,
      requested: 60,
      accepted: 60,
      scheduled: run.meetings.length,
      held: 0,
    });
  }, 240_000);

  it('refuses a seat that would clash with a meeting, naming the meeting', async () => {
    const theirs = await ok(api().get('/api/me/meetings', { token: people[5].token }));
    const meeting = theirs.items.find((m: any) => m.status === 'scheduled');
    const talk = await ok(
      api().post(
        `/api/programmes/${programme.id}/items`,
        {
          type: 'presentation',
          title: 'A talk',
          spaceId: tree.room.id,
          startsAt: meeting.slotStartsAt,
          endsAt: meeting.slotEndsAt,
        },
        { token: organizer.token },
      ),
    );
    const refused = await api().post(`/api/items/${talk.id}/registrations`, {}, { token: people[5].token });
    expectProblem(refused, 409);
    expect(refused.body.conflicts).toEqual([
      expect.objectContaining({
        meetingId: meeting.id,
        itemId: session.id,
        startsAt: meeting.slotStartsAt,
        reason: 'meeting',
      }),
    ]);
  });

  it('refuses to shorten the session below a scheduled slot, naming the meetings', async () => {
    const refused = await api().patch(
      `/api/items/${session.id}`,
      { endsAt: '2031-06-02T10:20' },
      { token: organizer.token },
    );
    expectProblem(refused, 409);
    expect(refused.body.conflicts.length).toBeGreaterThan(0);
    expect(refused.body.conflicts[0]).toEqual(
      expect.objectContaining({ meetingId: expect.any(String), reason: 'meeting' }),
    );
  });

  it('books the last table place for exactly one of two concurrent requests', async () => {
    const small = await ok(
      api().post(
        `/api/pavilions/${tree.pavilion.id}/spaces`,
        { name: 'Small B2B corner', capacity: 4, kind: 'b2b_zone', tables: 1 },
        { token: admin },
      ),
    );
    const corner = await ok(
      api().post(
        `/api/programmes/${programme.id}/items`,
        {
          type: 'b2b_meetings',
          title: 'Negotiations',
          spaceId: small.id,
          startsAt: '2031-06-03T15:00',
          endsAt: '2031-06-03T15:40',
        },
        { token: organizer.token },
      ),
    );
    const four = people.slice(10, 14);
    const joined = await pool(four, 4, (p, i) =>
      ok(
        api().post(
          `/api/items/${corner.id}/b2b/participants`,
          { company: `Corner ${i}`, sector: 'trade', offers: [], seeks: [], languages: ['ru'] },
          { token: p.token },
        ),
      ),
    );
    const accepted = [];
    for (const [from, to] of [
      [0, 1],
      [2, 3],
    ]) {
      const r = await ok(
        api().post(
          `/api/items/${corner.id}/b2b/requests`,
          { toParticipantId: joined[to].id },
          { token: four[from].token },
        ),
      );
      accepted.push(await ok(api().post(`/api/b2b/requests/${r.id}/accept`, {}, { token: four[to].token })));
    }
    const [x, y] = await Promise.all([
      api().post(
        `/api/items/${corner.id}/b2b/meetings`,
        { requestId: accepted[0].id, slotStartsAt: '2031-06-03T15:00' },
        { token: four[0].token },
      ),
      api().post(
        `/api/items/${corner.id}/b2b/meetings`,
        { requestId: accepted[1].id, slotStartsAt: '2031-06-03T15:00' },
        { token: four[2].token },
      ),
    ]);
    expect([x.status, y.status].sort()).toEqual([201, 409]);
    const lost = x.status === 409 ? x : y;
    expectProblem(lost, 409);
    expect(lost.body.conflicts[0]).toEqual(expect.objectContaining({ itemId: corner.id }));
    // A slot that is not on the grid is a 400.
    expectProblem(
      await api().post(
        `/api/items/${corner.id}/b2b/meetings`,
        { requestId: accepted[1].id, slotStartsAt: '2031-06-03T15:07' },
        { token: four[2].token },
      ),
      400,
    );
    expect(
      (
        await api().post(
          `/api/items/${corner.id}/b2b/meetings`,
          { requestId: accepted[1].id, slotStartsAt: '2031-06-03T15:20' },
          { token: four[2].token },
        )
      ).status,
    ).toBe(201);
    const csv = await api().get(`/api/items/${corner.id}/b2b/meetings.csv`, { token: organizer.token });
    expect(csv.text.split('\n')[0]).toBe(
      'slotStartsAt,slotEndsAt,table,partyA,companyA,partyB,companyB,attendance,meetingId',
    );
    expect(csv.text.trim().split('\n')).toHaveLength(3);
  });

  it('moves meetings with the session (same slot index and table)', async () => {
    const before = (await ok(api().get('/api/me/meetings', { token: people[3].token }))).items.filter(
      (m: any) => m.status === 'scheduled' && m.itemId === session.id,
    );
    expect(before.length).toBeGreaterThan(0);
    await ok(
      api().patch(
        `/api/items/${session.id}`,
        { startsAt: '2031-06-02T13:00', endsAt: '2031-06-02T15:40' },
        { token: organizer.token },
      ),
    );
    const after = (await ok(api().get('/api/me/meetings', { token: people[3].token }))).items.filter(
      (m: any) => m.itemId === session.id,
    );
    for (const m of before) {
      const moved = after.find((n: any) => n.id === m.id);
      expect(moved).toMatchObject({ table: m.table, status: 'scheduled' });
      expect(ms(moved.slotStartsAt) - ms(m.slotStartsAt)).toBe(3 * 3600_000);
    }
  });

  it('cancels a leaving participant’s meetings and frees their places', async () => {
    const leaver = people[4];
    const theirs = (await ok(api().get('/api/me/meetings', { token: leaver.token }))).items.filter(
      (m: any) => m.status === 'scheduled' && m.itemId === session.id,
    );
    expect(theirs.length).toBeGreaterThan(0);
    expect(
      (await api().delete(`/api/b2b/participants/${leaver.participant.id}`, { token: leaver.token })).status,
    ).toBe(204);
    const counterpart = people.find((p) => p.participant?.id === theirs[0].counterpart.participantId)!;
    const seen = (await ok(api().get('/api/me/meetings', { token: counterpart.token }))).items.find(
      (m: any) => m.id === theirs[0].id,
    );
    expect(seen.status).toBe('cancelled');
    const told = await stack.db.query(
      `SELECT user_id FROM outbox WHERE kind = 'meeting_cancelled' AND payload ->> 'meetingId' = $1`,
      [theirs[0].id],
    );
    expect(told.rows.map((r) => r.user_id)).toEqual([counterpart.user.id]);
  });
});
