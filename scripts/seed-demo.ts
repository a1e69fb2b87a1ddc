import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AccountsService, AuthModule, OrganizationsService } from '@pavilion/auth';
import { AppConfig, ConfigError, ConfigModule, loadConfig } from '@pavilion/config';
import { DatabaseModule, RedisModule } from '@pavilion/database';
import { MeetingsModule, ParticipantsService, RequestsService } from '@pavilion/meetings';
import {
  ItemWritesService,
  ProgrammesModule,
  ProgrammesService,
  SpeakersService,
} from '@pavilion/programmes';
import { RegistrationsModule, RegistrationsService } from '@pavilion/registrations';
import { VenuesModule, VenuesService } from '@pavilion/venues';
import { demoB2b } from './demo/demo-b2b';
import { demo, demoAccounts, demoUpcoming } from './demo/demo-programme';

export interface DemoCredentials {
  admin: { email: string; password: string };
  organizer: { email: string; password: string };
  attendee: { email: string; password: string };
  programmeId: string;
}

/** Loads the demo programme through the same services as the API, so it obeys every rule. */
export async function seedDemo(config: AppConfig): Promise<DemoCredentials | 'exists'> {
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      DatabaseModule.forRoot(),
      RedisModule,
      VenuesModule,
      ProgrammesModule,
      AuthModule,
      BullModule.forRoot({ connection: { url: config.redisUrl }, prefix: config.queuePrefix }),
      MeetingsModule,
      RegistrationsModule,
    ],
  })
  class SeedModule {}
  const app = await NestFactory.createApplicationContext(SeedModule, { logger: ['error', 'warn'] });
  try {
    const programmes = app.get(ProgrammesService);
    if (await programmes.hasAny()) return 'exists';
    const venues = app.get(VenuesService);
    const accounts = app.get(AccountsService);
    const organizations = app.get(OrganizationsService);

    const admin = config.admin ?? demoAccounts.admin;
    await accounts.ensureAdmin(admin.email, admin.password);
    const venue = await venues.createVenue(demo.venue);
    const pavilion = await venues.createPavilion(venue.id, demo.pavilion);
    const spaces: Record<string, string> = {};
    for (const { key, ...space } of demo.spaces)
      spaces[key] = (await venues.createSpace(pavilion.id, space)).id;

    const organization = await organizations.create(demo.organization);
    const { organizer, attendee } = demoAccounts;
    await accounts.signup({
      email: organizer.email,
      password: organizer.password,
      displayName: organizer.displayName,
      locale: 'ru',
    });
    await organizations.addMember(organization.id, organizer.email);
    const visitors = [
      await accounts.signup({
        email: attendee.email,
        password: attendee.password,
        displayName: attendee.displayName,
        locale: 'kk',
      }),
    ];
    for (const visitor of demoAccounts.visitors) visitors.push(await accounts.signup({ ...visitor }));

    const speakerService = app.get(SpeakersService);
    const speakers: Record<string, string> = {};
    for (const { key, ...speaker } of demo.speakers)
      speakers[key] = (await speakerService.create(speaker)).id;

    const programme = await programmes.create({
      ...demo.programme,
      organizationId: organization.id,
      pavilionId: pavilion.id,
    });
    const items = app.get(ItemWritesService);
    let session: string | undefined;
    for (const { space, speakers: keys, ...item } of demo.items) {
      const created = await items.create(programme.id, {
        ...item,
        spaceId: spaces[space],
        speakerIds: keys.map((k) => speakers[k]),
      });
      if (created.meetingMinutes !== undefined) session = created.id;
    }
    await programmes.publish(programme.id);
    if (session) await seedB2b(app, accounts, session);

    // The upcoming round table for two: the visitors register in turn, and the third waits.
    const upcoming = await programmes.create({
      ...demoUpcoming.programme,
      organizationId: organization.id,
      pavilionId: pavilion.id,
    });
    const { space, ...roundTable } = demoUpcoming.item;
    const table = await items.create(upcoming.id, { ...roundTable, spaceId: spaces[space] });
    await programmes.publish(upcoming.id);
    const registrations = app.get(RegistrationsService);
    for (const { user } of visitors)
      await registrations.register(table.id, { userId: user.id, role: 'attendee', organizationIds: [] });
    const credentials = (a: { email: string; password: string }) => ({
      email: a.email,
      password: a.password,
    });
    return {
      admin: credentials(admin),
      organizer: credentials(organizer),
      attendee: credentials(attendee),
      programmeId: programme.id,
    };
  } finally {
    await app.close();
  }
}

/** The B2B session's companies (each an attendee account) join, and send the demo's requests. */
async function seedB2b(
  app: { get<T>(type: new (...args: never[]) => T): T },
  accounts: AccountsService,
  sessionId: string,
): Promise<void> {
  const participants = app.get(ParticipantsService);
  const requests = app.get(RequestsService);
  const people = new Map<
    string,
    { actor: { userId: string; role: 'attendee'; organizationIds: string[] }; participantId: string }
  >();
  for (const company of demoB2b.companies) {
    const { user } = await accounts.signup({
      email: `${company.key}@b2b.chelyabinsk.local`,
      password: demoB2b.password,
      displayName: company.person,
      locale: company.locale,
    });
    const actor = { userId: user.id, role: 'attendee' as const, organizationIds: [] };
    const joined = await participants.join(sessionId, actor, company.profile);
    people.set(company.key, { actor, participantId: joined.id });
  }
  for (const [from, to, accepted] of demoB2b.requests) {
    const sender = people.get(from)!;
    const receiver = people.get(to)!;
    const sent = await requests.send(sessionId, sender.actor, { toParticipantId: receiver.participantId });
    if (accepted) await requests.accept(sent.id, receiver.actor);
  }
}

if (require.main === module) {
  const config = loadConfig();
  seedDemo(config)
    .then((outcome) => {
      if (outcome === 'exists')
        console.log('The database already holds a programme; the demo was not loaded again.');
      else console.log(`Loaded the demo programme ${outcome.programmeId}`);
    })
    .catch((error: unknown) => {
      console.error(error instanceof ConfigError ? error.message : error);
      process.exit(1);
    });
}
