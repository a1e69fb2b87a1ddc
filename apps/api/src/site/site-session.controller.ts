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
import { UuidPipe } from '../http/uuid.pipe';
import { resolveLocale, SITE_PHRASES } from './i18n';
import { frame } from './site-pages';
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
}

class FavouriteFormDto extends CsrfFormDto {
  @IsIn(['0', '1']) on!: '0' | '1';
  /** The page the star was pressed on (the programme's list), else the item page. */
  @IsOptional() @IsString() @MaxLength(500) @localPath() back?: string;
}

/** Sign-in and the item page's forms (register, cancel, star), each CSRF-checked, each answered by a redirect. */
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
      reply.header('cache-control', 'no-store').redirect(body.next ?? '/', 303);
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
    reply.redirect('/', 303);
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
    const viewer = await this.sessions.requireViewer(req, body._csrf);
    await this.site.item(await this.site.published(id), itemId);
    await this.registrations.register(itemId, viewer.actor);
    this.back(reply, id, itemId);
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
    const viewer = await this.sessions.requireViewer(req, body._csrf);
    await this.site.item(await this.site.published(id), itemId);
    await this.registrations.cancel(itemId, viewer.actor);
    this.back(reply, id, itemId);
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
    const viewer = await this.sessions.requireViewer(req, body._csrf);
    await this.site.item(await this.site.published(id), itemId);
    if (body.on === '1') await this.favourites.add(itemId, viewer.actor);
    else await this.favourites.remove(itemId, viewer.actor);
    if (body.back) reply.header('cache-control', 'no-store').redirect(body.back, 303);
    else this.back(reply, id, itemId);
  }

  private back(reply: FastifyReply, programmeId: string, itemId: string): void {
    reply.header('cache-control', 'no-store').redirect(`/programmes/${programmeId}/items/${itemId}`, 303);
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
