import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import ical from 'ical-generator';
import { AppConfig } from '@pavilion/config';
import { ProgrammeSiteService } from '@pavilion/programmes';
import { Access } from '../access/policy';
import { notModified } from '../http/conditional';
import { UuidPipe } from '../http/uuid.pipe';
import { resolveLocale, SITE_PHRASES } from './i18n';
import { seatsText } from './site-pages';
import { SiteQueryDto } from './site.dto';

/** What an item page links to besides itself: its ICS, and its seats line for the page's script. */
@ApiExcludeController()
@Controller()
export class SiteItemFeedsController {
  constructor(
    private readonly site: ProgrammeSiteService,
    private readonly config: AppConfig,
  ) {}

  @Get('programmes/:id/items/:itemId/calendar.ics')
  @Access.public()
  async itemCalendar(
    @Param('id', UuidPipe) id: string,
    @Param('itemId', UuidPipe) itemId: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const header = await this.site.published(id);
    if (notModified(req, reply, ['item.ics', header.fingerprint, itemId])) return;
    const { item, space } = await this.site.item(header, itemId);
    const calendar = ical({
      name: header.programme.title,
      prodId: { company: 'Pavilion', product: 'Pavilion programme' },
    });
    calendar.createEvent({
      id: `${item.id}@pavilion`,
      sequence: item.version,
      start: item.startsAt as Date,
      end: item.endsAt as Date,
      summary: item.title,
      description: item.description ?? undefined,
      location: [space?.name, header.pavilionName, header.venueName, header.city].filter(Boolean).join(', '),
      url: `${this.config.publicUrl}/programmes/${id}/items/${itemId}`,
    });
    reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="${item.id}.ics"`)
      .send(calendar.toString());
  }

  /**
   * The seats line of an item page as JSON, for the page's script to refresh (progressive enhancement). Public and
   * revalidated by ETag like the pages: a registration moves the programme's fingerprint, so it changes the ETag.
   */
  @Get('programmes/:id/items/:itemId/seats')
  @Access.public()
  async seats(
    @Param('id', UuidPipe) id: string,
    @Param('itemId', UuidPipe) itemId: string,
    @Query() query: SiteQueryDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const header = await this.site.published(id);
    const lang = resolveLocale(query.lang, req.headers['accept-language'], header.programme.languages);
    if (notModified(req, reply, ['seats', header.fingerprint, lang, itemId])) return;
    const row = await this.site.item(header, itemId);
    const seats = row.item.status === 'scheduled' ? seatsText(row, SITE_PHRASES[lang]) : '';
    reply.type('application/json; charset=utf-8').send(JSON.stringify({ seats }));
  }
}
