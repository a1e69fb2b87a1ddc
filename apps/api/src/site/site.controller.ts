import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import QRCode from 'qrcode';
import { AppConfig } from '@pavilion/config';
import { formatVenueInstant, LruCache } from '@pavilion/core';
import { ProgrammeHeader, ProgrammeSiteService } from '@pavilion/programmes';
import { Access } from '../access/policy';
import { answerIfCurrent, etagOf, notModified, PRIVATE_REVALIDATE } from '../http/conditional';
import { UuidPipe } from '../http/uuid.pipe';
import { changesAtom } from './changes-feed';
import { describeChange, span, time, offsetLabel } from './format';
import { Locale } from '@pavilion/core';
import { resolveLocale } from './i18n';
import { frame, itemView, lobby, programmePage } from './site-pages';
import { ProgrammePageQueryDto, SiteQueryDto } from './site.dto';
import { RevalidationMemo } from './revalidation-memo';
import { SiteSessions, SiteViewer } from './site-sessions';
import { render } from './views';

const HTML = 'text/html; charset=utf-8';
const NOW_MAX_AGE_SECONDS = 30;

/**
 * The public programme site: server-rendered pages that work without JavaScript. Each page is answered 304
 * before any rendering when the client's ETag still matches the programme's fingerprint and the page's inputs.
 */
@ApiExcludeController()
@Controller()
export class SiteController {
  private readonly pages = new LruCache<Buffer>(100);

  constructor(
    private readonly site: ProgrammeSiteService,
    private readonly sessions: SiteSessions,
    private readonly config: AppConfig,
    private readonly memo: RevalidationMemo,
  ) {}

  @Get()
  @Access.public()
  async index(@Query() query: SiteQueryDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const viewer = await this.sessions.viewer(req);
    const lang = resolveLocale(query.lang, req.headers['accept-language']);
    const today = DateTime.utc().toISODate() as string;
    const fingerprint = await this.site.programmesFingerprint();
    if (this.cached(req, reply, viewer, ['index', fingerprint, lang, today])) return;
    const programmes = (await this.site.publishedProgrammes(today)).map((h) => ({
      id: h.programme.id,
      title: h.programme.title,
      description: h.programme.description,
      dates: `${h.programme.startsOn} – ${h.programme.endsOn}`,
      place: [h.pavilionName, h.venueName, h.city].join(', '),
    }));
    const page = frame(req.url, lang, 'Pavilion');
    this.send(reply, 'index', { ...page, title: page.p.programmes, programmes }, viewer);
  }

  @Get('programmes/:id')
  @Access.public()
  async programme(
    @Param('id', UuidPipe) id: string,
    @Query() query: ProgrammePageQueryDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const chosen = (header: ProgrammeHeader) =>
      query.day !== undefined && this.site.days(header).includes(query.day);
    const dayOf = (header: ProgrammeHeader): string =>
      chosen(header) ? (query.day as string) : this.site.defaultDay(header);
    const page = await this.open(
      id,
      query,
      req,
      reply,
      ({ header, lang }) => [
        ...['programme', header.fingerprint, lang, dayOf(header)],
        ...[query.type, query.language, query.space],
      ],
      (header) => !chosen(header),
    );
    if (!page) return;
    const { header, lang, viewer } = page;
    const day = dayOf(header);
    const days = this.site.days(header);
    await this.sendKept(reply, page, 'programme', async () => {
      const rows = await this.site.dayItems(header, day);
      const starred = viewer ? await this.sessions.favouriteIds(viewer) : null;
      return programmePage(header, days, day, rows, query, lang, starred);
    });
  }

  @Get('programmes/:id/items/:itemId')
  @Access.public()
  async item(
    @Param('id', UuidPipe) id: string,
    @Param('itemId', UuidPipe) itemId: string,
    @Query() query: SiteQueryDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const page = await this.open(id, query, req, reply, (p) => [
      'item',
      p.header.fingerprint,
      p.lang,
      itemId,
    ]);
    if (!page) return;
    const { header, lang, viewer } = page;
    await this.sendKept(reply, page, 'item', async () => {
      const row = await this.site.item(header, itemId);
      const pageUrl = `${this.config.publicUrl}/programmes/${id}/items/${itemId}`;
      const qr = await QRCode.toString(pageUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      const base = frame(`/programmes/${id}/items/${itemId}?lang=${lang}`, lang, row.item.title);
      const day = DateTime.fromJSDate(row.item.startsAt as Date, { zone: header.timezone }).toISODate();
      return {
        ...base,
        item: itemView(header, row, lang),
        back: `/programmes/${id}?lang=${lang}&day=${day}`,
        icsUrl: `/programmes/${id}/items/${itemId}/calendar.ics`,
        seatsUrl: `/programmes/${id}/items/${itemId}/seats?lang=${lang}`,
        pageUrl,
        qrSvg: qr.replace('<svg ', `<svg role="img" aria-label="${escapeAttr(base.p.qrLabel)}" `),
        registration: viewer ? await this.sessions.itemPanel(viewer, row, header, lang) : null,
        signInUrl:
          row.item.registrationRequired && row.item.status === 'scheduled'
            ? `/sign-in?lang=${lang}&next=${encodeURIComponent(`/programmes/${id}/items/${itemId}?lang=${lang}`)}`
            : null,
      };
    });
  }

  /** A lobby screen: no ETag, a short max-age and a refresh of its own (no script needed). */
  @Get('programmes/:id/now')
  @Access.public()
  async now(
    @Param('id', UuidPipe) id: string,
    @Query() query: SiteQueryDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const header = await this.site.published(id);
    const lang = this.lang(query, req, header);
    const now = new Date();
    const rows = await this.site.nowAndNext(header, now);
    const base = frame(req.url, lang, header.programme.title);
    reply
      .header('cache-control', `public, max-age=${NOW_MAX_AGE_SECONDS}`)
      .type(HTML)
      .send(
        render('now', {
          ...base,
          title: `${base.p.nowAndNext}: ${header.programme.title}`,
          bodyClass: 'now-page',
          refreshSeconds: NOW_MAX_AGE_SECONDS,
          hideSignIn: true,
          programme: header.programme,
          clock: time(now, lang, header.timezone),
          offset: offsetLabel(now, header.timezone),
          spaces: lobby(header, rows, now, lang),
        }),
      );
  }

  @Get('programmes/:id/changes')
  @Access.public()
  async changes(
    @Param('id', UuidPipe) id: string,
    @Query() query: SiteQueryDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const page = await this.open(id, query, req, reply, (p) => ['changes', p.header.fingerprint, p.lang]);
    if (!page) return;
    const { header, lang } = page;
    await this.sendKept(reply, page, 'changes', async () => {
      const rows = await this.site.changes(header);
      const base = frame(`/programmes/${id}/changes?lang=${lang}`, lang, header.programme.title);
      return {
        ...base,
        title: `${base.p.changes}: ${header.programme.title}`,
        programme: header.programme,
        back: `/programmes/${id}?lang=${lang}`,
        atomUrl: `/programmes/${id}/changes.atom?lang=${lang}`,
        changes: rows.map((c) => ({
          ...describeChange(c, lang, header.timezone),
          iso: formatVenueInstant(c.recordedAt, header.timezone),
          when: span(c.recordedAt, c.recordedAt, lang, header.timezone).replace(/–.*$/, ''),
          href: c.itemId && c.kind !== 'removed' ? `/programmes/${id}/items/${c.itemId}?lang=${lang}` : null,
        })),
      };
    });
  }

  @Get('programmes/:id/changes.atom')
  @Access.public()
  async changesFeed(
    @Param('id', UuidPipe) id: string,
    @Query() query: SiteQueryDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const header = await this.site.published(id);
    const lang = this.lang(query, req, header);
    if (notModified(req, reply, ['changes.atom', header.fingerprint, lang])) return;
    const rows = await this.site.changes(header);
    reply
      .type('application/atom+xml; charset=utf-8')
      .send(changesAtom(header, rows, lang, this.config.publicUrl));
  }

  private lang(query: SiteQueryDto, req: FastifyRequest, header: ProgrammeHeader): Locale {
    return resolveLocale(query.lang, req.headers['accept-language'], header.programme.languages);
  }

  /**
   * What every programme page starts with: who reads it, the published programme, the language, and the page's
   * inputs. Public pages revalidate by ETag (null: answered 304, nothing to render); a signed-in person's pages
   * are private and always rendered.
   */
  private async open(
    id: string,
    query: SiteQueryDto,
    req: FastifyRequest,
    reply: FastifyReply,
    inputsOf: (page: { header: ProgrammeHeader; lang: Locale }) => unknown[],
    dependsOnToday: (header: ProgrammeHeader) => boolean = () => false,
  ): Promise<OpenPage | null> {
    const viewer = await this.sessions.viewer(req);
    const stamp = this.memo.stamp();
    const header = await this.site.published(id);
    const lang = this.lang(query, req, header);
    const inputs = inputsOf({ header, lang });
    if (viewer) {
      reply.header('cache-control', PRIVATE_REVALIDATE);
      return { viewer, header, lang, inputs };
    }
    const etag = etagOf(inputs);
    this.memo.remember(req, etag, stamp, dependsOnToday(header) ? header.timezone : undefined);
    if (answerIfCurrent(req, reply, etag)) return null;
    return { viewer, header, lang, inputs };
  }

  private cached(req: FastifyRequest, reply: FastifyReply, viewer: SiteViewer | null, inputs: unknown[]) {
    if (viewer) {
      reply.header('cache-control', PRIVATE_REVALIDATE);
      return false;
    }
    return notModified(req, reply, inputs);
  }

  private send(reply: FastifyReply, template: string, data: object, viewer: SiteViewer | null): void {
    this.sendHtml(reply, render(template, { ...data, user: viewer?.user, csrf: viewer?.csrf ?? '' }));
  }

  private sendHtml(reply: FastifyReply, html: string | Buffer): void {
    reply.type(HTML).header('vary', 'Accept-Language, Cookie').send(html);
  }

  /**
   * A public page rendered once per set of inputs: the inputs carry the programme's fingerprint, which every
   * committed write moves, so a kept page is never stale. A signed-in person's pages are always rendered.
   */
  private async sendKept(
    reply: FastifyReply,
    { viewer, inputs }: OpenPage,
    template: string,
    data: () => Promise<object>,
  ): Promise<void> {
    if (viewer) return this.send(reply, template, await data(), viewer);
    const key = JSON.stringify(inputs);
    let html = this.pages.get(key);
    if (html === undefined) {
      // Kept as bytes: sending a buffer skips re-encoding the page on every request.
      html = Buffer.from(render(template, { ...(await data()), csrf: '' }));
      this.pages.set(key, html);
    }
    this.sendHtml(reply, html);
  }
}

interface OpenPage {
  viewer: SiteViewer | null;
  header: ProgrammeHeader;
  lang: Locale;
  inputs: unknown[];
}

function escapeAttr(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);
}
