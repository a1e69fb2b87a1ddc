import { JwtService } from '@nestjs/jwt';
import { expectProblem, TestApi } from '../support/api';
import { VenueTree, World } from '../support/world';

type Caller = 'admin' | 'owner' | 'otherOrganizer' | 'attendee';

interface Ctx {
  tokens: Record<Caller, string>;
  world: World;
  tree: VenueTree;
  owner: { organization: any; token: string };
  published: any;
  /** Published, in the future: open for registration. */
  upcoming: any;
  fresh: (caller: Caller) => Promise<any>;
}

interface Row {
  /** Who rightfully calls it; that call must succeed with `status`. */
  rightful: Caller;
  status: number;
  /** What an organizer of another organization gets; 403 unless existence is hidden (404), or the route is theirs too. */
  otherOrganizer?: number;
  /** What a signed-in attendee gets (403 unless stated). */
  attendee?: number;
  request: (ctx: Ctx, token?: string) => Promise<{ path: string; body?: unknown; csv?: string }>;
}

let n = 0;
const unique = () => `${Date.now().toString(36)}-${++n}`;

/**
 * Every write route of the API, with who may call it. The first test fails when a route exists without a
 * row here, so a new route cannot ship without its authorization being stated and tested.
 */
const MATRIX: Record<string, Row> = {
  'POST /api/venues': {
    rightful: 'admin',
    status: 201,
    request: async () => ({
      path: '/api/venues',
      body: { name: `V ${unique()}`, city: 'Astana', country: 'KZ', timezone: 'Asia/Almaty' },
    }),
  },
  'POST /api/spaces/{id}/closures': {
    rightful: 'admin',
    status: 201,
    request: async ({ tree }) => ({
      path: `/api/spaces/${tree.room.id}/closures`,
      body: { from: '2030-01-01T10:00', to: '2030-01-01T11:00', reason: `Closed ${unique()}` },
    }),
  },
  'DELETE /api/closures/{id}': {
    rightful: 'admin',
    status: 204,
    request: async ({ tree, world, tokens }) => {
      const closure = await world.ok(
        world.api.post(
          `/api/spaces/${tree.room.id}/closures`,
          { from: '2030-02-01T10:00', to: '2030-02-01T11:00', reason: `Closed ${unique()}` },
          { token: tokens.admin },
        ),
      );
      return { path: `/api/closures/${closure.id}` };
    },
  },
  'POST /api/venues/{id}/pavilions': {
    rightful: 'admin',
    status: 201,
    request: async ({ tree }) => ({
      path: `/api/venues/${tree.venue.id}/pavilions`,
      body: { name: `P ${unique()}`, openingHours: [{ weekday: 1, opens: '10:00', closes: '18:00' }] },
    }),
  },
  'POST /api/pavilions/{id}/spaces': {
    rightful: 'admin',
    status: 201,
    request: async ({ tree }) => ({
      path: `/api/pavilions/${tree.pavilion.id}/spaces`,
      body: { name: `S ${unique()}`, capacity: 10, kind: 'other' },
    }),
  },
  'PATCH /api/venues/{id}': {
    rightful: 'admin',
    status: 200,
    request: async ({ tree }) => ({ path: `/api/venues/${tree.venue.id}`, body: { country: 'Kazakhstan' } }),
  },
  'DELETE /api/venues/{id}': {
    rightful: 'admin',
    status: 204,
    request: async ({ world }) => ({ path: `/api/venues/${(await world.venueTree()).venue.id}` }),
  },
  'PATCH /api/pavilions/{id}': {
    rightful: 'admin',
    status: 200,
    request: async ({ tree }) => ({
      path: `/api/pavilions/${tree.pavilion.id}`,
      body: { name: `P ${unique()}` },
    }),
  },
  'DELETE /api/pavilions/{id}': {
    rightful: 'admin',
    status: 204,
    request: async ({ world }) => ({ path: `/api/pavilions/${(await world.venueTree()).pavilion.id}` }),
  },
  'PATCH /api/spaces/{id}': {
    rightful: 'admin',
    status: 200,
    request: async ({ tree }) => ({ path: `/api/spaces/${tree.room.id}`, body: { capacity: 20 } }),
  },
  'DELETE /api/spaces/{id}': {
    rightful: 'admin',
    status: 204,
    request: async ({ world, tree, tokens }) => {
      const space = await world.ok(
        world.api.post(
          `/api/pavilions/${tree.pavilion.id}/spaces`,
          { name: `Gone ${unique()}`, capacity: 5, kind: 'other' },
          { token: tokens.admin },
        ),
      );
      return { path: `/api/spaces/${space.id}` };
    },
  },
  'POST /api/organizations': {
    rightful: 'admin',
    status: 201,
    request: async () => ({ path: '/api/organizations', body: { name: `Org ${unique()}` } }),
  },
  'POST /api/organizations/{id}/members': {
    rightful: 'admin',
    status: 201,
    request: async ({ world, owner }) => ({
      path: `/api/organizations/${owner.organization.id}/members`,
      body: { email: (await world.signup()).email },
    }),
  },
  'PATCH /api/organizations/{id}': {
    rightful: 'admin',
    status: 200,
    request: async ({ world }) => ({
      path: `/api/organizations/${(await world.organizer()).organization.id}`,
      body: { name: `Renamed ${unique()}` },
    }),
  },
  'DELETE /api/organizations/{id}/members/{userId}': {
    rightful: 'admin',
    status: 204,
    request: async ({ world, owner, tokens }) => {
      const person = await world.signup();
      await world.ok(
        world.api.post(
          `/api/organizations/${owner.organization.id}/members`,
          { email: person.email },
          { token: tokens.admin },
        ),
      );
      return { path: `/api/organizations/${owner.organization.id}/members/${person.user.id}` };
    },
  },
  'POST /api/organizations/{id}/checkers': {
    rightful: 'owner',
    status: 201,
    request: async ({ world, owner }) => ({
      path: `/api/organizations/${owner.organization.id}/checkers`,
      body: { email: (await world.signup()).email },
    }),
  },
  'DELETE /api/organizations/{id}/checkers/{userId}': {
    rightful: 'owner',
    status: 204,
    request: async ({ world, owner }) => {
      const person = await world.signup();
      await world.ok(
        world.api.post(
          `/api/organizations/${owner.organization.id}/checkers`,
          { email: person.email },
          { token: owner.token },
        ),
      );
      return { path: `/api/organizations/${owner.organization.id}/checkers/${person.user.id}` };
    },
  },
  'PATCH /api/users/{id}': {
    rightful: 'admin',
    status: 200,
    request: async ({ world }) => ({
      path: `/api/users/${(await world.signup()).user.id}`,
      body: { role: 'attendee' },
    }),
  },
  'POST /api/programmes/{id}/items/import': {
    rightful: 'owner',
    status: 200,
    request: async ({ published }) => ({
      path: `/api/programmes/${published.id}/items/import?dryRun=true`,
      csv: `type,title,space,startsAt,endsAt\nconference,Imported ${unique()},Hall,2017-08-15T19:00,2017-08-15T19:30\n`,
    }),
  },
  // A draft: hidden (404) from everyone but its organizers and admins.
  'DELETE /api/programmes/{id}': {
    rightful: 'owner',
    status: 204,
    otherOrganizer: 404,
    attendee: 404,
    request: async ({ fresh }) => ({ path: `/api/programmes/${(await fresh('owner')).id}` }),
  },
  'POST /api/programmes': {
    rightful: 'owner',
    status: 201,
    request: async ({ owner, tree }) => ({
      path: '/api/programmes',
      body: {
        organizationId: owner.organization.id,
        pavilionId: tree.pavilion.id,
        title: `Days ${unique()}`,
        startsOn: '2017-08-15',
        endsOn: '2017-08-16',
      },
    }),
  },
  'PATCH /api/programmes/{id}': {
    rightful: 'owner',
    status: 200,
    request: async ({ published }) => ({
      path: `/api/programmes/${published.id}`,
      body: { description: `Edited ${unique()}` },
    }),
  },
  'POST /api/programmes/{id}/publish': {
    rightful: 'owner',
    status: 200,
    otherOrganizer: 404,
    attendee: 404,
    request: async ({ fresh }) => ({ path: `/api/programmes/${(await fresh('owner')).id}/publish` }),
  },
  // A published programme of its own each time: unpublishing is seen by others, so refusals are 403.
  'POST /api/programmes/{id}/unpublish': {
    rightful: 'owner',
    status: 200,
    request: async ({ world, owner, tree }) => ({
      path: `/api/programmes/${(await world.programme(owner, tree.pavilion, { publish: true })).id}/unpublish`,
    }),
  },
  'POST /api/programmes/{id}/items': {
    rightful: 'owner',
    status: 201,
    request: async ({ published, tree }) => ({
      path: `/api/programmes/${published.id}/items`,
      body: { type: 'other', title: 'Slot', spaceId: tree.hall.id, ...nextSlot('2017-08-15') },
    }),
  },
  'PATCH /api/items/{id}': {
    rightful: 'owner',
    status: 200,
    request: async ({ published, world, owner, tree }) => ({
      path: `/api/items/${(await itemIn(world, owner, published, tree)).id}`,
      body: { title: 'Renamed' },
    }),
  },
  'POST /api/items/{id}/cancel': {
    rightful: 'owner',
    status: 200,
    request: async ({ published, world, owner, tree }) => ({
      path: `/api/items/${(await itemIn(world, owner, published, tree)).id}/cancel`,
      body: { reason: 'Weather' },
    }),
  },
  'POST /api/items/{id}/registrations': {
    rightful: 'attendee',
    status: 201,
    otherOrganizer: 201,
    attendee: 201,
    request: async ({ upcoming, world, owner, tree }) => ({
      path: `/api/items/${(await itemIn(world, owner, upcoming, tree)).id}/registrations`,
    }),
  },
  'DELETE /api/items/{id}/registrations/me': {
    rightful: 'attendee',
    status: 204,
    otherOrganizer: 204,
    attendee: 204,
    request: async ({ upcoming, world, owner, tree }, token) => {
      const item = await itemIn(world, owner, upcoming, tree);
      if (token) await world.api.post(`/api/items/${item.id}/registrations`, {}, { token });
      return { path: `/api/items/${item.id}/registrations/me` };
    },
  },
  'PUT /api/items/{id}/favourite': {
    rightful: 'attendee',
    status: 204,
    otherOrganizer: 204,
    attendee: 204,
    request: async ({ upcoming, world, owner, tree }) => ({
      path: `/api/items/${(await itemIn(world, owner, upcoming, tree)).id}/favourite`,
    }),
  },
  'DELETE /api/items/{id}/favourite': {
    rightful: 'attendee',
    status: 204,
    otherOrganizer: 204,
    attendee: 204,
    request: async ({ upcoming, world, owner, tree }) => ({
      path: `/api/items/${(await itemIn(world, owner, upcoming, tree)).id}/favourite`,
    }),
  },
  'POST /api/items/{id}/check-ins': {
    rightful: 'owner',
    status: 201,
    request: async ({ upcoming, world, owner, tree, tokens }) => {
      const item = await itemIn(world, owner, upcoming, tree);
      const registration = await world.ok(
        world.api.post(`/api/items/${item.id}/registrations`, {}, { token: tokens.attendee }),
      );
      return { path: `/api/items/${item.id}/check-ins`, body: { code: registration.checkInCode } };
    },
  },
  'POST /api/organizations/{id}/webhooks': {
    rightful: 'owner',
    status: 201,
    request: async ({ owner }) => ({
      path: `/api/organizations/${owner.organization.id}/webhooks`,
      body: { url: 'http://127.0.0.1:9/hook' },
    }),
  },
  'DELETE /api/organizations/{id}/webhooks/{webhookId}': {
    rightful: 'owner',
    status: 204,
    request: async ({ owner, world, tokens }) => {
      const hook = await world.ok(
        world.api.post(
          `/api/organizations/${owner.organization.id}/webhooks`,
          { url: 'http://127.0.0.1:9/hook' },
          { token: tokens.owner },
        ),
      );
      return { path: `/api/organizations/${owner.organization.id}/webhooks/${hook.id}` };
    },
  },
  'POST /api/admin/deliveries/{id}/retry': {
    // Past authorization, an unknown delivery is a 404; retrying real failures is tested with the worker.
    rightful: 'admin',
    status: 404,
    request: async () => ({ path: '/api/admin/deliveries/00000000-0000-4000-8000-000000000000/retry' }),
  },
  'POST /api/speakers': {
    rightful: 'owner',
    status: 201,
    otherOrganizer: 201,
    request: async () => ({ path: '/api/speakers', body: { name: `Speaker ${unique()}` } }),
  },
  'PATCH /api/speakers/{id}': {
    rightful: 'owner',
    status: 200,
    otherOrganizer: 200,
    request: async ({ world, owner }) => ({
      path: `/api/speakers/${(await world.speaker(owner.token)).id}`,
      body: { availability: [{ from: '2017-08-15T10:00:00Z', to: '2017-08-15T18:00:00Z' }] },
    }),
  },
  'DELETE /api/speakers/{id}': {
    rightful: 'owner',
    status: 204,
    otherOrganizer: 204,
    request: async ({ world, owner }) => ({ path: `/api/speakers/${(await world.speaker(owner.token)).id}` }),
  },
  // A draft programme's run: hidden (404) from everyone but its organizers and admins.
  'POST /api/programmes/{id}/scheduling-runs': {
    rightful: 'owner',
    status: 202,
    otherOrganizer: 404,
    attendee: 404,
    request: async ({ fresh }) => ({ path: `/api/programmes/${(await fresh('owner')).id}/scheduling-runs` }),
  },
  'POST /api/scheduling-runs/{id}/cancel': {
    rightful: 'owner',
    status: 200,
    otherOrganizer: 404,
    attendee: 404,
    request: async (ctx) => ({ path: `/api/scheduling-runs/${await queuedSchedulingRun(ctx)}/cancel` }),
  },
  // No worker runs in this suite, so the run is still queued: the owner passes the guard and gets the 409.
  'POST /api/scheduling-runs/{id}/apply': {
    rightful: 'owner',
    status: 409,
    otherOrganizer: 404,
    attendee: 404,
    request: async (ctx) => ({ path: `/api/scheduling-runs/${await queuedSchedulingRun(ctx)}/apply` }),
  },
  'PATCH /api/me': {
    rightful: 'attendee',
    status: 200,
    otherOrganizer: 200,
    attendee: 200,
    request: async () => ({ path: '/api/me', body: { displayName: 'Renamed' } }),
  },
  'POST /api/me/calendar-feed-token': {
    rightful: 'attendee',
    status: 201,
    otherOrganizer: 201,
    attendee: 201,
    request: async () => ({ path: '/api/me/calendar-feed-token' }),
  },
  'POST /api/items/{id}/b2b/participants': {
    rightful: 'attendee',
    status: 201,
    otherOrganizer: 201,
    attendee: 201,
    request: async (ctx) => ({
      path: `/api/items/${(await b2bSession(ctx)).id}/b2b/participants`,
      body: PROFILE,
    }),
  },
  'PATCH /api/b2b/participants/{id}': {
    rightful: 'attendee',
    status: 200,
    attendee: 200,
    request: async (ctx) => ({
      path: `/api/b2b/participants/${(await joined(ctx, await b2bSession(ctx), ctx.tokens.attendee)).id}`,
      body: { about: 'Edited' },
    }),
  },
  'DELETE /api/b2b/participants/{id}': {
    rightful: 'attendee',
    status: 204,
    attendee: 204,
    request: async (ctx) => ({
      path: `/api/b2b/participants/${(await joined(ctx, await b2bSession(ctx), ctx.tokens.attendee)).id}`,
    }),
  },
  'POST /api/items/{id}/b2b/requests': {
    rightful: 'attendee',
    status: 201,
    otherOrganizer: 201,
    attendee: 201,
    request: async (ctx, token) => {
      const session = await b2bSession(ctx);
      if (token) await ctx.world.api.post(`/api/items/${session.id}/b2b/participants`, PROFILE, { token });
      const other = await joined(ctx, session, (await counterpart(ctx)).token);
      return { path: `/api/items/${session.id}/b2b/requests`, body: { toParticipantId: other.id } };
    },
  },
  'POST /api/b2b/requests/{id}/accept': {
    rightful: 'attendee',
    status: 200,
    attendee: 200,
    otherOrganizer: 404,
    request: async (ctx) => ({ path: `/api/b2b/requests/${(await requestToAttendee(ctx)).id}/accept` }),
  },
  'POST /api/b2b/requests/{id}/decline': {
    rightful: 'attendee',
    status: 200,
    attendee: 200,
    otherOrganizer: 404,
    request: async (ctx) => ({ path: `/api/b2b/requests/${(await requestToAttendee(ctx)).id}/decline` }),
  },
  'POST /api/b2b/requests/{id}/withdraw': {
    rightful: 'attendee',
    status: 200,
    attendee: 200,
    otherOrganizer: 404,
    request: async (ctx) => {
      const session = await b2bSession(ctx);
      await joined(ctx, session, ctx.tokens.attendee);
      const other = await joined(ctx, session, (await counterpart(ctx)).token);
      const request = await ctx.world.ok(
        ctx.world.api.post(
          `/api/items/${session.id}/b2b/requests`,
          { toParticipantId: other.id },
          { token: ctx.tokens.attendee },
        ),
      );
      return { path: `/api/b2b/requests/${request.id}/withdraw` };
    },
  },
  'POST /api/items/{id}/b2b/schedule-runs': {
    rightful: 'owner',
    status: 202,
    request: async (ctx) => ({
      path: `/api/items/${(await b2bSession(ctx)).id}/b2b/schedule-runs`,
      body: {},
    }),
  },
  'POST /api/b2b/schedule-runs/{id}/cancel': {
    rightful: 'owner',
    status: 200,
    request: async (ctx) => ({ path: `/api/b2b/schedule-runs/${(await queuedRun(ctx)).id}/cancel` }),
  },
  'POST /api/b2b/schedule-runs/{id}/publish': {
    // Past authorization, a run that has not finished (no worker runs in this suite) is a 409; publishing is
    // tested with the worker.
    rightful: 'owner',
    status: 409,
    request: async (ctx) => ({ path: `/api/b2b/schedule-runs/${(await queuedRun(ctx)).id}/publish` }),
  },
  'POST /api/items/{id}/b2b/meetings': {
    rightful: 'attendee',
    status: 201,
    attendee: 201,
    otherOrganizer: 201,
    request: async (ctx, token) => {
      const session = await b2bSession(ctx);
      const other = await joined(ctx, session, (await counterpart(ctx)).token);
      let requestId = '00000000-0000-4000-8000-000000000000';
      if (
        token &&
        (await ctx.world.api.post(`/api/items/${session.id}/b2b/participants`, PROFILE, { token })).status ===
          201
      ) {
        const request = await ctx.world.ok(
          ctx.world.api.post(
            `/api/items/${session.id}/b2b/requests`,
            { toParticipantId: other.id },
            { token },
          ),
        );
        await ctx.world.ok(
          ctx.world.api.post(
            `/api/b2b/requests/${request.id}/accept`,
            {},
            { token: (await counterpart(ctx)).token },
          ),
        );
        requestId = request.id;
      }
      return {
        path: `/api/items/${session.id}/b2b/meetings`,
        body: { requestId, slotStartsAt: session.startsAt },
      };
    },
  },
  'POST /api/b2b/meetings/{id}/cancel': {
    rightful: 'attendee',
    status: 200,
    attendee: 200,
    request: async (ctx) => ({ path: `/api/b2b/meetings/${(await meetingOfAttendee(ctx)).id}/cancel` }),
  },
  'POST /api/b2b/meetings/{id}/attendance': {
    rightful: 'owner',
    status: 200,
    request: async (ctx) => ({
      path: `/api/b2b/meetings/${(await meetingOfAttendee(ctx)).id}/attendance`,
      body: { status: 'held' },
    }),
  },
};

/** Open to everyone by design; their own tests cover them. */
const PUBLIC_WRITES = new Set([
  'POST /api/auth/signup',
  'POST /api/auth/login',
  'POST /api/auth/password-reset',
  'POST /api/auth/password-reset/confirm',
  'POST /api/notifications/unsubscribe',
  'POST /admin/sign-in',
  'POST /admin/sign-out',
]);

/**
 * Anyone signed in, on their own account only, and destructive: sent with the shared callers' tokens it would
 * erase them. account-erasure.e2e-spec.ts covers it (401 without a token, 204 and then 401 for the erased).
 */
const OWN_ACCOUNT_WRITES = new Set(['DELETE /api/me']);

const slots: Record<string, number> = {};
/** A fresh 10-minute slot of the day within opening hours (09:00–21:00), so rows never collide. */
function nextSlot(day: string): { startsAt: string; endsAt: string } {
  const i = (slots[day] = (slots[day] ?? -1) + 1);
  const at = (minutes: number) =>
    `${day}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return { startsAt: at(9 * 60 + i * 10), endsAt: at(9 * 60 + i * 10 + 10) };
}

const PROFILE = { company: 'Matrix LLP', sector: 'trade', offers: [], seeks: [], languages: ['ru'] };
let b2bProgramme: Promise<any> | undefined;
let sessionCount = 0;
let other: Promise<{ token: string }> | undefined;

/** A fresh B2B session (its own b2b zone, its own 10-minute window) in a published programme of the owner. */
async function b2bSession(ctx: Ctx): Promise<any> {
  b2bProgramme ??= ctx.world.programme(ctx.owner, ctx.tree.pavilion, {
    startsOn: '2031-06-01',
    endsOn: '2031-06-09',
    publish: true,
  });
  const programme = await b2bProgramme;
  const k = sessionCount++;
  const zone = await ctx.world.ok(
    ctx.world.api.post(
      `/api/pavilions/${ctx.tree.pavilion.id}/spaces`,
      { name: `B2B ${unique()}`, capacity: 10, kind: 'b2b_zone', tables: 2 },
      { token: ctx.tokens.admin },
    ),
  );
  return ctx.world.item(ctx.owner.token, programme, {
    type: 'b2b_meetings',
    title: 'Matrix B2B',
    spaceId: zone.id,
    meetingMinutes: 5,
    ...nextSlot(`2031-06-0${1 + Math.floor(k / 70)}`),
  });
}

/** One more person, signed up once for the whole suite, to stand on the other side of requests. */
function counterpart(ctx: Ctx): Promise<{ token: string }> {
  other ??= ctx.world.signup();
  return other;
}

function joined(ctx: Ctx, session: any, token: string): Promise<any> {
  return ctx.world.ok(ctx.world.api.post(`/api/items/${session.id}/b2b/participants`, PROFILE, { token }));
}

async function requestToAttendee(ctx: Ctx, session?: any): Promise<any> {
  const target = session ?? (await b2bSession(ctx));
  const me = await joined(ctx, target, ctx.tokens.attendee);
  const from = (await counterpart(ctx)).token;
  await joined(ctx, target, from);
  return ctx.world.ok(
    ctx.world.api.post(`/api/items/${target.id}/b2b/requests`, { toParticipantId: me.id }, { token: from }),
  );
}

async function queuedRun(ctx: Ctx): Promise<any> {
  const session = await b2bSession(ctx);
  return ctx.world.ok(
    ctx.world.api.post(`/api/items/${session.id}/b2b/schedule-runs`, {}, { token: ctx.owner.token }),
  );
}

async function meetingOfAttendee(ctx: Ctx): Promise<any> {
  const session = await b2bSession(ctx);
  const request = await requestToAttendee(ctx, session);
  await ctx.world.ok(
    ctx.world.api.post(`/api/b2b/requests/${request.id}/accept`, {}, { token: ctx.tokens.attendee }),
  );
  return ctx.world.ok(
    ctx.world.api.post(
      `/api/items/${session.id}/b2b/meetings`,
      { requestId: request.id, slotStartsAt: session.startsAt },
      { token: ctx.tokens.attendee },
    ),
  );
}

async function itemIn(world: World, owner: Ctx['owner'], programme: any, tree: VenueTree) {
  return world.item(owner.token, programme, {
    type: 'other',
    title: 'Target',
    spaceId: tree.room.id,
    ...nextSlot(programme.endsOn),
  });
}

/** A queued scheduling run of a fresh draft programme of the owner's. */
async function queuedSchedulingRun({ world, fresh, owner }: Ctx): Promise<string> {
  const programme = await fresh('owner');
  return (
    await world.ok(
      world.api.post(`/api/programmes/${programme.id}/scheduling-runs`, {}, { token: owner.token }),
    )
  ).id;
}

describe('authorization matrix', () => {
  let api: TestApi;
  let ctx: Ctx;
  const tokens = {} as Record<Caller, string>;
  let expired: string;
  let tampered: string;

  beforeAll(async () => {
    api = await TestApi.start();
    const world = new World(api);
    const tree = await world.venueTree();
    const owner = await world.organizer();
    const other = await world.organizer();
    const attendee = await world.signup();
    tokens.admin = await world.adminToken();
    tokens.owner = owner.token;
    tokens.otherOrganizer = other.token;
    tokens.attendee = attendee.token;
    expired = new JwtService().sign(
      { sub: attendee.user.id, exp: Math.floor(Date.now() / 1000) - 5 },
      { secret: process.env.JWT_SECRET, algorithm: 'HS256' },
    );
    tampered = tokens.admin.slice(0, -3) + (tokens.admin.endsWith('abc') ? 'xyz' : 'abc');
    const published = await world.programme(owner, tree.pavilion, { publish: true });
    const upcoming = await world.programme(owner, tree.pavilion, {
      startsOn: '2031-05-20',
      endsOn: '2031-05-21',
      publish: true,
    });
    ctx = {
      tokens,
      world,
      tree,
      owner,
      published,
      upcoming,
      fresh: () => world.programme(owner, tree.pavilion),
    };
  });
  afterAll(() => api.close());

  it('has a row for every write route the API serves', async () => {
    const doc = await api.get('/docs-json');
    const writes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => `${m.toUpperCase()} ${path}`),
    );
    const missing = writes.filter(
      (route) => !MATRIX[route] && !PUBLIC_WRITES.has(route) && !OWN_ACCOUNT_WRITES.has(route),
    );
    expect(missing).toEqual([]);
    expect(Object.keys(MATRIX).filter((route) => !writes.includes(route))).toEqual([]);
  });

  describe.each(Object.entries(MATRIX))('%s', (route, row) => {
    const method = route.split(' ')[0];
    const send = async (token?: string) => {
      const { path, body, csv } = await row.request(ctx, token);
      if (csv !== undefined)
        return api.request(method, path, undefined, {
          token,
          raw: csv,
          headers: { 'content-type': 'text/csv' },
        });
      return api.request(method, path, method === 'DELETE' ? undefined : (body ?? {}), { token });
    };

    it('refuses a caller without a token (401)', async () => expectProblem(await send(), 401));
    it('refuses a tampered token (401)', async () => expectProblem(await send(tampered), 401));
    it('refuses an expired token (401)', async () => expectProblem(await send(expired), 401));

    it(`answers an attendee with ${row.attendee ?? 403}`, async () => {
      const res = await send(tokens.attendee);
      if ((row.attendee ?? 403) >= 400) expectProblem(res, row.attendee ?? 403);
      else expect(res.status).toBe(row.attendee);
    });

    it(`answers an organizer of another organization with ${row.otherOrganizer ?? 403}`, async () => {
      const expected = row.otherOrganizer ?? 403;
      const res = await send(tokens.otherOrganizer);
      if (expected >= 400) expectProblem(res, expected);
      else expect(res.status).toBe(expected);
    });

    it(`lets the rightful ${row.rightful} through (${row.status})`, async () => {
      const res = await send(tokens[row.rightful]);
      expect({ status: res.status, body: res.status === row.status ? 'ok' : res.body }).toEqual({
        status: row.status,
        body: 'ok',
      });
    });

    if (row.rightful === 'owner') {
      it('lets an admin act for any organization', async () => {
        expect((await send(tokens.admin)).status).toBe(row.status);
      });
    }
  });
});
