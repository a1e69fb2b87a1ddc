import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '@pavilion/config';
import { formatVenueInstant } from '@pavilion/core';
import { frabScheduleXml, ProgrammeSiteService } from '@pavilion/programmes';
import { Access } from '../access/policy';
import { notModified } from '../http/conditional';
import { UuidPipe } from '../http/uuid.pipe';

/** The frab schedule (what pretalx exports) for conference apps, and the changelog as JSON. */
@ApiTags('exports')
@Controller('api/programmes')
export class ScheduleExportsController {
  constructor(
    private readonly site: ProgrammeSiteService,
    private readonly config: AppConfig,
  ) {}

  @Get(':id/schedule.json')
  @Access.public()
  @ApiProduces('application/json')
  @ApiOperation({ summary: 'frab schedule.json of a published programme (no cancelled or unplaced items)' })
  async scheduleJson(
    @Param('id', UuidPipe) id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const header = await this.site.published(id);
    if (notModified(request, reply, ['schedule.json', header.fingerprint, this.config.publicUrl])) return;
    const schedule = await this.site.schedule(header, this.config.publicUrl);
    reply.type('application/json; charset=utf-8').send(JSON.stringify(schedule));
  }

  @Get(':id/schedule.xml')
  @Access.public()
  @ApiProduces('application/xml')
  @ApiOperation({ summary: 'frab schedule.xml of a published programme' })
  async scheduleXml(
    @Param('id', UuidPipe) id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const header = await this.site.published(id);
    if (notModified(request, reply, ['schedule.xml', header.fingerprint, this.config.publicUrl])) return;
    const schedule = await this.site.schedule(header, this.config.publicUrl);
    reply.type('application/xml; charset=utf-8').send(frabScheduleXml(schedule));
  }

  @Get(':id/changes')
  @Access.public()
  @ApiOperation({ summary: 'What changed in the published programme, newest first (the last 100)' })
  async changes(
    @Param('id', UuidPipe) id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const header = await this.site.published(id);
    if (notModified(request, reply, ['changes', header.fingerprint])) return;
    const rows = await this.site.changes(header);
    reply.send({
      items: rows.map((c) => ({
        id: c.id,
        kind: c.kind,
        itemId: c.itemId,
        fields: c.fields,
        before: c.before && inZone(c.before, header.timezone),
        after: c.after && inZone(c.after, header.timezone),
        recordedAt: formatVenueInstant(c.recordedAt, header.timezone),
      })),
    });
  }
}

/** A recorded state with its instants in the venue's offset, like every timestamp the API returns. */
function inZone(state: Record<string, unknown>, timezone: string): Record<string, unknown> {
  const out = { ...state };
  for (const key of ['startsAt', 'endsAt'])
    if (typeof out[key] === 'string') out[key] = formatVenueInstant(new Date(out[key] as string), timezone);
  return out;
}
