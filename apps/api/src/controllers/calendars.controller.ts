import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { AccountsService } from '@pavilion/auth';
import { Actor } from '@pavilion/core';
import { MeetingsService } from '@pavilion/meetings';
import { ProgrammesService } from '@pavilion/programmes';
import { CalendarsService } from '@pavilion/registrations';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, CurrentActor } from '../access/policy';
import { notModified, PRIVATE_REVALIDATE, PUBLIC_REVALIDATE } from '../http/conditional';
import { UuidPipe } from '../http/uuid.pipe';

class FeedTokenQuery {
  @ApiPropertyOptional({ description: 'calendarFeedToken from GET /api/me' })
  @IsString()
  @MaxLength(200)
  token!: string;
}

const ICS = 'text/calendar; charset=utf-8';

@ApiTags('calendars')
@Controller('api')
export class CalendarsController {
  constructor(
    private readonly calendars: CalendarsService,
    private readonly accounts: AccountsService,
    private readonly meetings: MeetingsService,
    private readonly programmes: ProgrammesService,
  ) {}

  @Get('programmes/:id/calendar.ics')
  @Access.public()
  @ApiProduces(ICS)
  async programme(
    @Param('id', UuidPipe) id: string,
    @CurrentActor() actor: Actor | null,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { fingerprint, programme } = await this.programmes.requireVisibleHeader(id, actor);
    const cache = programme.status === 'published' ? PUBLIC_REVALIDATE : PRIVATE_REVALIDATE;
    if (notModified(request, reply, ['calendar.ics', fingerprint], cache)) return;
    reply.type(ICS).send(await this.calendars.programmeFeed(id, actor));
  }

  /**
   * Subscribable by calendar apps, which cannot send a bearer token: the feed token in the URL is the secret.
   * Personal, so `private, no-cache`; its ETag is a digest of the feed (registrations, favourites, meetings).
   */
  @Get('me/agenda.ics')
  @Access.public()
  @ApiProduces(ICS)
  async agenda(
    @Query() query: FeedTokenQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const user = await this.accounts.userForFeedToken(query.token);
    const offsets = user.notificationPreferences.reminderOffsetsMinutes;
    const feed = await this.calendars.agendaFeed(
      user.id,
      offsets,
      await this.meetings.agendaEvents(user.id, offsets),
    );
    // DTSTAMP lines change on every build of the feed; the digest covers everything else.
    const content = feed.replace(/^DTSTAMP:.*$/gm, '');
    if (notModified(request, reply, ['agenda.ics', content], PRIVATE_REVALIDATE)) return;
    reply.type(ICS).send(feed);
  }
}
