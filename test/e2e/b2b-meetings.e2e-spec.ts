import { expectProblem } from '../support/api';
import { until } from '../support/smtp-sink';
import { NotificationStack, soonProgramme } from '../support/stack';
import { pool } from '../support/pool';

const ms = (iso: string) => new Date(iso).getTime();

/**
 * The person's in-app notices of a kind, once at least `count` of them (those `awaited` picks, all by default)
 * have arrived: a person with several meetings is told of each separately, in no fixed order.
 */
async function inbox(
  stack: NotificationStack,
  token: string,
  kind: string,
  count = 1,
  awaited: (notice: any) => boolean = () => true,
): Promise<any[]> {
  return until(
    async () => {
      const res = await stack.api.get('/api/me/notifications?limit=200', { token });
      const items = (res.body.items as any[]).filter((n) => n.kind === kind);
      return items.filter(awaited).length >= count ? items : undefined;
    },
    30_000,
    `${count} ${kind} in-app notices`,
  );
}

describe('B2B meetings: matchmaking, a schedule the worker builds, meetings the database keeps apart', () => {
  let stack: NotificationStack;
  let admin: string;
  let organizer: { organization: any; token: string };
  let programme: any;
  let tree: any;
  let zone: any;
  let session: any;
  const people: { token: string; user: any; email: string; participant?: any }[] = [];
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
    // The requested participant is told, by email and in the app (person 1 has requests from 0 and 24).
    await stack.sink.waitFor(
      () =>
        stack.sink.to(people[1].email).filter((m) => m.subject.startsWith('Meeting request from')).length ===
        2,
      30_000,
      'the request emails',
    );
    expect(stack.sink.to(people[1].email).map((m) => m.subject)).toEqual(
      expect.arrayContaining([
        'Meeting request from Company 0: Meetings with business',
        'Meeting request from Company 24: Meetings with business',
      ]),
    );
    const received = await inbox(stack, people[1].token, 'meeting_request', 2);
    expect(received[0]).toMatchObject({ itemId: session.id, channels: ['email', 'in_app'] });

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
    // Each sender hears the answer (person 0 sent to 1 and 7).
    await stack.sink.waitFor(
      () =>
        stack.sink.to(people[0].email).filter((m) => m.subject.startsWith('Meeting request accepted'))
          .length === 2,
      30_000,
      'the answer emails',
    );
    expect((await inbox(stack, people[0].token, 'meeting_request_answered', 2))[0].title).toMatch(
      /^Meeting request accepted by Company (1|7): Meetings with business$/,
    );
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
    // Both parties are told by email (with the meeting's ICS) and in the app.
    for (const [me, them] of [
      [a, b],
      [b, a],
    ]) {
      const subject = (m: { subject: string }) =>
        m.subject.startsWith(`Meeting with Company ${them}: `) &&
        m.subject.endsWith(`, table ${first.table}`);
      await stack.sink.waitFor(
        () => stack.sink.to(people[me].email).some(subject),
        30_000,
        `the meeting email to person ${me}`,
      );
      expect(stack.sink.to(people[me].email).filter(subject)).toEqual([
        expect.objectContaining({ hasCalendar: true }),
      ]);
      const withThem = (n: any) => n.title.startsWith(`Meeting with Company ${them}: `);
      const notices = (await inbox(stack, people[me].token, 'meeting_scheduled', 1, withThem)).filter(
        withThem,
      );
      expect(notices).toHaveLength(1);
      expect(notices[0].body).toContain(`Table: ${first.table}`);
      expect(notices[0].body).toContain(`You have a B2B meeting with Test Person (Company ${them}).`);
    }
    // Everyone with a meeting hears of each of theirs, once.
    await until(
      async () => {
        const { rows } = await stack.db.query(
          `SELECT count(*)::int AS n FROM deliveries WHERE item_id = $1 AND kind = 'meeting_scheduled' AND channel = 'in_app' AND status = 'sent'`,
          [session.id],
        );
        return rows[0].n === 2 * run.meetings.length ? true : undefined;
      },
      30_000,
      'every meeting notice',
    );
    // And each party has a reminder waiting per meeting and offset (the programme's 24 h and 1 h): its e-mail row,
    // which carries the in-app notice.
    const reminders = await stack.db.query(
      `SELECT count(*)::int AS n FROM deliveries WHERE item_id = $1 AND kind = 'meeting_reminder' AND channel = 'email' AND status = 'pending'`,
      [session.id],
    );
    expect(reminders.rows[0].n).toBe(2 * 2 * run.meetings.length);
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
    // The loser's request and the person who booked it, whichever of the two lost the race.
    const [loserRequest, loserToken] =
      x.status === 409 ? [accepted[0], four[0].token] : [accepted[1], four[2].token];
    expectProblem(lost, 409);
    expect(lost.body.conflicts[0]).toEqual(expect.objectContaining({ itemId: corner.id }));
    // A slot that is not on the grid is a 400.
    expectProblem(
      await api().post(
        `/api/items/${corner.id}/b2b/meetings`,
        { requestId: loserRequest.id, slotStartsAt: '2031-06-03T15:07' },
        { token: loserToken },
      ),
      400,
    );
    expect(
      (
        await api().post(
          `/api/items/${corner.id}/b2b/meetings`,
          { requestId: loserRequest.id, slotStartsAt: '2031-06-03T15:20' },
          { token: loserToken },
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
    // Each of their meetings is told anew, and its reminders follow it: the old time's are never sent.
    const movedNotices = (await inbox(stack, people[3].token, 'meeting_scheduled', 2 * before.length)).filter(
      (n: any) => n.title.startsWith('Meeting moved: '),
    );
    expect(movedNotices).toHaveLength(before.length);
    expect(movedNotices[0].body).toContain('has moved with the session');
    const { rows } = await stack.db.query(
      `SELECT (payload ->> 'meetingVersion')::int AS version, count(*)::int AS n FROM deliveries
        WHERE user_id = $1 AND kind = 'meeting_reminder' AND channel = 'email' AND status = 'pending' AND payload ->> 'meetingId' = $2
        GROUP BY 1 ORDER BY 1`,
      [people[3].user.id, before[0].id],
    );
    expect(rows).toEqual([
      { version: 1, n: 2 },
      { version: 2, n: 2 },
    ]);
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
    // The counterpart hears it by email and in the app; the leaver is not told of their own leaving.
    const byLeaver = (n: any) => n.title.startsWith('Meeting cancelled: Company 4, ');
    const notices = (await inbox(stack, counterpart.token, 'meeting_cancelled', 1, byLeaver)).filter(
      byLeaver,
    );
    expect(notices).toHaveLength(1);
    expect(notices[0].body).toContain('Company 4 has left the session.');
    await stack.sink.waitFor(
      () =>
        stack.sink.to(counterpart.email).some((m) => m.subject.startsWith('Meeting cancelled: Company 4, ')),
      30_000,
      'the cancellation email',
    );
    expect(stack.sink.to(leaver.email).filter((m) => m.subject.startsWith('Meeting cancelled'))).toEqual([]);
  });

  it('reminds each party before each of their meetings at the programme offsets, never for a cancelled one', async () => {
    // Offsets 1 and 6 minutes with 5-minute slots: slot 0's 1-minute and slot 1's 6-minute reminders fall due together.
    const soon = await soonProgramme(stack.world, { reminderOffsetsMinutes: [1, 6] });
    const corner = await ok(
      api().post(
        `/api/pavilions/${soon.tree.pavilion.id}/spaces`,
        { name: 'B2B corner', capacity: 10, kind: 'b2b_zone', tables: 2 },
        { token: admin },
      ),
    );
    const [alpha, beta, gamma, delta] = await pool(
      ['Alpha', 'Beta', 'Gamma', 'Delta'],
      2,
      async (company) => ({
        company,
        ...(await stack.world.signup()),
      }),
    );
    const startsAt = new Date(Math.ceil((Date.now() + 100_000) / 1000) * 1000);
    const dueAt = startsAt.getTime() - 60_000;
    const soonSession = await ok(
      api().post(
        `/api/programmes/${soon.programme.id}/items`,
        {
          type: 'b2b_meetings',
          title: 'Negotiations',
          spaceId: corner.id,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 15 * 60_000).toISOString(),
          meetingMinutes: 5,
        },
        { token: soon.organizer.token },
      ),
    );
    const joined = new Map<string, any>();
    for (const p of [alpha, beta, gamma, delta])
      joined.set(
        p.company,
        await ok(
          api().post(
            `/api/items/${soonSession.id}/b2b/participants`,
            { company: p.company, sector: 'trade', offers: [], seeks: [], languages: ['ru'] },
            { token: p.token },
          ),
        ),
      );
    const meet = async (from: typeof alpha, to: typeof alpha, slot: number) => {
      const request = await ok(
        api().post(
          `/api/items/${soonSession.id}/b2b/requests`,
          { toParticipantId: joined.get(to.company).id },
          { token: from.token },
        ),
      );
      await ok(api().post(`/api/b2b/requests/${request.id}/accept`, {}, { token: to.token }));
      return ok(
        api().post(
          `/api/items/${soonSession.id}/b2b/meetings`,
          {
            requestId: request.id,
            slotStartsAt: new Date(startsAt.getTime() + slot * 5 * 60_000).toISOString(),
          },
          { token: from.token },
        ),
      );
    };
    await meet(alpha, beta, 0);
    await meet(alpha, gamma, 1);
    const cancelled = await meet(beta, delta, 1);
    // Its reminders are written (the meeting was told) before it is cancelled.
    await until(
      async () => {
        const { rows } = await stack.db.query(
          `SELECT count(*)::int AS n FROM deliveries WHERE kind = 'meeting_reminder' AND payload ->> 'meetingId' = $1`,
          [cancelled.id],
        );
        return rows[0].n > 0 ? true : undefined;
      },
      10_000,
      'the reminders of the meeting to cancel',
    );
    await ok(api().post(`/api/b2b/meetings/${cancelled.id}/cancel`, {}, { token: delta.token }));
    expect(Date.now()).toBeLessThan(dueAt - 5_000);

    const reminders = (p: { email: string }) =>
      stack.sink.to(p.email).filter((m) => m.subject.startsWith('Reminder: meeting with'));
    await stack.sink.waitFor(
      () => reminders(alpha).length === 2 && reminders(beta).length === 1 && reminders(gamma).length === 1,
      dueAt - Date.now() + 30_000,
      'the meeting reminders',
    );
    // Every reminder due by now is settled: the cancelled meeting's were skipped, not sent.
    await until(
      async () => {
        const { rows } = await stack.db.query(
          `SELECT count(*)::int AS n FROM deliveries WHERE item_id = $1 AND kind = 'meeting_reminder'
              AND due_at <= now() AND status IN ('pending', 'sending')`,
          [soonSession.id],
        );
        return rows[0].n === 0 ? true : undefined;
      },
      30_000,
      'the due reminders to settle',
    );
    expect(
      reminders(alpha)
        .map((m) => m.subject.replace(/ \(.*$/, ''))
        .sort(),
    ).toEqual([
      'Reminder: meeting with Beta starts in 1 minute',
      'Reminder: meeting with Gamma starts in 6 minutes',
    ]);
    expect(reminders(beta).map((m) => m.subject.replace(/ \(.*$/, ''))).toEqual([
      'Reminder: meeting with Alpha starts in 1 minute',
    ]);
    expect(reminders(delta)).toEqual([]);
    expect(reminders(alpha).every((m) => m.listUnsubscribe !== undefined)).toBe(true);
    const skipped = await stack.db.query(
      `SELECT DISTINCT status, last_error FROM deliveries
        WHERE kind = 'meeting_reminder' AND payload ->> 'meetingId' = $1 AND due_at <= now()`,
      [cancelled.id],
    );
    expect(skipped.rows).toEqual([{ status: 'skipped', last_error: 'meeting cancelled' }]);
    const inApp = await inbox(stack, alpha.token, 'meeting_reminder', 2);
    expect(inApp.map((n: any) => n.title.replace(/ \(.*$/, '')).sort()).toEqual([
      'Reminder: meeting with Beta starts in 1 minute',
      'Reminder: meeting with Gamma starts in 6 minutes',
    ]);
  }, 180_000);
});
