import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountsService } from '@pavilion/auth';
import { DomainError, ErrorCode, LOCALES, Locale } from '@pavilion/core';
import { ProgrammeSiteService } from '@pavilion/programmes';
import { FavouritesService, RegistrationsService } from '@pavilion/registrations';
import { Access } from '../access/policy';
import { PRIVATE_REVALIDATE } from '../http/conditional';
import { statusOf } from '../http/problem-details';
import { UuidPipe } from '../http/uuid.pipe';
import { span } from './format';
import { resolveLocale, SITE_PHRASES } from './i18n';
import { frame, itemHref, place } from './site-pages';
import { SiteSessions } from './site-sessions';
import { render } from './views';

/** Only a path on this site: never another host (no open redirect). */
const localPath = () =>
  Transform(({ value }) => (typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) ? value : '/'));

class SignInQueryDto {
  @IsOptional() @IsIn(LOCALES) lang?: Locale;
  @IsOptional() @IsString() @MaxLength(500) @localPath() next?: string;
}

class SignInFormDto {
  @IsEmail() @MaxLength(320) email!: string;
  @IsString() @MaxLength(200) password!: string;
  @IsString() @MaxLength(200) _csrf!: string;
  @IsOptional() @IsString() @MaxLength(500) @localPath() next?: string;
  @IsOptional() @IsIn(LOCALES) lang?: Locale;
}

class CsrfFormDto {
  @IsString() @MaxLength(200) _csrf!: string;
  @IsOptional() @IsIn(LOCALES) lang?: Locale;
}

class FavouriteFormDto extends CsrfFormDto {
  @IsIn(['0', '1']) on!: '0' | '1';
  /** The page the star was pressed on (the programme's list), else the item page. */
  @IsOptional() @IsString() @MaxLength(500) @localPath() back?: string;
}

/** Every form is answered by a redirect to a page (303, never kept by caches). */
function seeOther(reply: FastifyReply, to: string): void {
  reply.header('cache-control', 'no-store').redirect(to, 303);
}

/**
 * Sign-in, the signed-in person's favourites, and the item page's forms (register, cancel, star), each
 * CSRF-checked, each answered by a redirect (a refused registration by a page saying why).
 */
@ApiExcludeController()
@Controller()
export class SiteSessionController {
  constructor(
    private readonly sessions: SiteSessions,
    private readonly accounts: AccountsService,
    private readonly registrations: RegistrationsService,
    private readonly favourites: FavouritesService,
    private readonly site: ProgrammeSiteService,
  ) {}

  @Get('sign-in')
  @Access.public()
  signInForm(@Query() query: SignInQueryDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const lang = resolveLocale(query.lang, req.headers['accept-language']);
    this.form(req, reply, lang, query.next ?? '/', '', '');
  }

  @Post('sign-in')
  @Access.public()
  async signIn(@Body() body: SignInFormDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.sessions.checkSignInForm(req, body._csrf);
    const lang = resolveLocale(body.lang, req.headers['accept-language']);
    try {
      const { accessToken } = await this.accounts.login(
        { email: body.email, password: body.password },
        req.ip,
      );
      this.sessions.start(reply, accessToken);
      seeOther(reply, body.next ?? '/');
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== ErrorCode.Unauthenticated) throw error;
      reply.code(401);
      this.form(req, reply, lang, body.next ?? '/', body.email, SITE_PHRASES[lang].badSignIn);
    }
  }

  @Post('sign-out')
  @HttpCode(303)
  @Access.public()
  async signOut(@Body() body: CsrfFormDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.sessions.requireViewer(req, body._csrf);
    this.sessions.end(reply);
    seeOther(reply, '/');
  }

  /** The signed-in person's starred items, by programme; anyone else is sent to sign in first. */
  @Get('favourites')
  @Access.public()
  async favouritesPage(
    @Query() query: SignInQueryDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const lang = resolveLocale(query.lang, req.headers['accept-language']);
    const viewer = await this.sessions.viewer(req);
    if (!viewer)
      return seeOther(reply, `/sign-in?lang=${lang}&next=${encodeURIComponent(`/favourites?lang=${lang}`)}`);
    const groups = await this.site.publishedItems(await this.favourites.ids(viewer.actor.userId));
    const base = frame(req.url, lang, SITE_PHRASES[lang].favourites);
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', PRIVATE_REVALIDATE)
      .send(
        render('favourites', {
          ...base,
          user: viewer.user,
          csrf: viewer.csrf,
          programmes: groups.map(({ header, rows }) => ({
            title: header.programme.title,
            href: `/programmes/${header.programme.id}?lang=${lang}`,
            items: rows.map((row) => ({
              href: itemHref(header, row.item.id, lang),
              title: row.item.title,
              when: span(row.item.startsAt as Date, row.item.endsAt as Date, lang, header.timezone),
              place: place(row, header),
              cancelled: row.item.status === 'cancelled',
            })),
          })),
        }),
      );
  }

  @Post('programmes/:id/items/:itemId/register')
  @Access.public()
  async register(
    @Param('id', UuidPipe) id: string,
    @Param('itemId', UuidPipe) itemId: string,
    @Body() body: CsrfFormDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const { viewer, header } = await this.itemForm(req, id, itemId, body._csrf);
    try {
      await this.registrations.register(itemId, viewer.actor);
    } catch (error) {
      // A person at a form gets a page saying why (full, closed, overlapping), not problem+json.
      if (!(error instanceof DomainError) || statusOf(error.code) !== 409) throw error;
      const lang = resolveLocale(body.lang, req.headers['accept-language'], header.programme.languages);
      const p = SITE_PHRASES[lang];
      const back = `/programmes/${id}/items/${itemId}?lang=${lang}`;
      reply
        .code(409)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(
          render('notice', {
            ...frame(back, lang, p.registrationFailed),
            user: viewer.user,
            csrf: viewer.csrf,
            message: p.refusals[error.code] ?? p.refusals.other,
            back,
          }),
        );
      return;
    }
    this.back(reply, id, itemId, body.lang);
  }

  @Post('programmes/:id/items/:itemId/cancel')
  @Access.public()
  async cancel(
    @Param('id', UuidPipe) id: string,
    @Param('itemId', UuidPipe) itemId: string,
    @Body() body: CsrfFormDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const { viewer } = await this.itemForm(req, id, itemId, body._csrf);
    await this.registrations.cancel(itemId, viewer.actor);
    this.back(reply, id, itemId, body.lang);
  }

  @Post('programmes/:id/items/:itemId/favourite')
  @Access.public()
  async favourite(
    @Param('id', UuidPipe) id: string,
    @Param('itemId', UuidPipe) itemId: string,
    @Body() body: FavouriteFormDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const { viewer } = await this.itemForm(req, id, itemId, body._csrf);
    if (body.on === '1') await this.favourites.add(itemId, viewer.actor);
    else await this.favourites.remove(itemId, viewer.actor);
    if (body.back) seeOther(reply, body.back);
    else this.back(reply, id, itemId, body.lang);
  }

  /** What every item form starts with: the signed-in person (CSRF checked) and the published item. */
  private async itemForm(req: FastifyRequest, id: string, itemId: string, csrf: string) {
    const viewer = await this.sessions.requireViewer(req, csrf);
    const header = await this.site.published(id);
    await this.site.item(header, itemId);
    return { viewer, header };
  }

  private back(reply: FastifyReply, programmeId: string, itemId: string, lang?: Locale): void {
    seeOther(reply, `/programmes/${programmeId}/items/${itemId}${lang ? `?lang=${lang}` : ''}`);
  }

  private form(
    req: FastifyRequest,
    reply: FastifyReply,
    lang: Locale,
    next: string,
    email: string,
    error: string,
  ): void {
    const csrf = this.sessions.signInFormToken(req, reply);
    const base = frame(req.url, lang, SITE_PHRASES[lang].signIn);
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', PRIVATE_REVALIDATE)
      .send(render('sign-in', { ...base, hideSignIn: true, csrf, next, email, error }));
  }
}
