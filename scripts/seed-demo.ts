import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AccountsService, AuthModule, OrganizationsService } from '@pavilion/auth';
import { AppConfig, ConfigError, ConfigModule, loadConfig } from '@pavilion/config';
import { DatabaseModule, RedisModule } from '@pavilion/database';
import { ItemsService, ProgrammesModule, ProgrammesService, SpeakersService } from '@pavilion/programmes';
import { VenuesModule, VenuesService } from '@pavilion/venues';
import { demo, demoAccounts } from './demo/demo-programme';

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
    await accounts.signup({
      email: attendee.email,
      password: attendee.password,
      displayName: attendee.displayName,
      locale: 'kk',
    });

    const speakerService = app.get(SpeakersService);
    const speakers: Record<string, string> = {};
    for (const { key, ...speaker } of demo.speakers)
      speakers[key] = (await speakerService.create(speaker)).id;

    const programme = await programmes.create({
      ...demo.programme,
      organizationId: organization.id,
      pavilionId: pavilion.id,
    });
    const items = app.get(ItemsService);
    for (const { space, speakers: keys, ...item } of demo.items) {
      await items.create(programme.id, {
        ...item,
        spaceId: spaces[space],
        speakerIds: keys.map((k) => speakers[k]),
      });
    }
    await programmes.publish(programme.id);
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
