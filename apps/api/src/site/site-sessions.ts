import { Injectable } from '@nestjs/common';
import Tokens from '@fastify/csrf';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHmac } from 'node:crypto';
import { AccountsService } from '@pavilion/auth';
import { AppConfig } from '@pavilion/config';
import { Actor, DomainError, ErrorCode } from '@pavilion/core';
import { ItemRow, ProgrammeHeader } from '@pavilion/programmes';
import { FavouritesService, RegistrationsService } from '@pavilion/registrations';
import { Locale } from '@pavilion/core';
import { SITE_PHRASES } from './i18n';

export const SESSION_COOKIE = 'pavilion_session';
/** Before sign-in there is no session to bind a form to: this cookie carries the sign-in form's CSRF secret. */
export const PRE_SESSION_COOKIE = 'pavilion_csrf';

export interface SiteViewer {
  actor: Actor;
  user: { displayName: string };
  /** The token to put in this person's forms. */
  csrf: string;
  calendarUrl: string;
}

/**
 * Site sign-in: the API's own access token (same accounts, same login rate limits) kept in an HTTP-only,
 * SameSite=Lax cookie; forms carry a CSRF token (@fastify/csrf) whose secret is derived from that session.
 */
@Injectable()
export class SiteSessions {
  private readonly tokens = new Tokens({});

  constructor(
    private readonly accounts: AccountsService,
    private readonly registrations: RegistrationsService,
    private readonly favourites: FavouritesService,
    private readonly config: AppConfig,
  ) {}

  /** The signed-in person, or null (no cookie costs no query). An expired or revoked session counts as none. */
  async viewer(req: FastifyRequest): Promise<SiteViewer | null> {
    const token = req.cookies?.[SESSION_COOKIE];
    if (!token) return null;
    const actor = await this.accounts.actorForToken(token);
    if (!actor) return null;
    const me = await this.accounts.me(actor.userId);
    return {
      actor,
      user: { displayName: me.displayName },
      csrf: this.tokens.create(this.sessionSecret(token)),
      calendarUrl: `${this.config.publicUrl}/api/me/agenda.ics?token=${encodeURIComponent(me.calendarFeedToken)}`,
    };
  }

  /** The signed-in person behind a form post, with its CSRF token checked; anyone else is refused. */
  async requireViewer(req: FastifyRequest, csrf: unknown): Promise<SiteViewer> {
    const token = req.cookies?.[SESSION_COOKIE];
    const viewer = token ? await this.viewer(req) : null;
    if (!token || !viewer) throw new DomainError(ErrorCode.Unauthenticated, 'Sign in first');
    if (typeof csrf !== 'string' || !this.tokens.verify(this.sessionSecret(token), csrf))
      throw new DomainError(ErrorCode.Forbidden, 'The form has expired; reload the page and try again');
    return viewer;
  }

  /** A CSRF token for the sign-in form, setting the pre-session secret cookie when there is none. */
  signInFormToken(req: FastifyRequest, reply: FastifyReply): string {
    let secret = req.cookies?.[PRE_SESSION_COOKIE];
    if (!secret || secret.length > 100) {
      secret = this.tokens.secretSync();
      reply.setCookie(PRE_SESSION_COOKIE, secret, this.cookieOptions('Strict'));
    }
    return this.tokens.create(secret);
  }

  checkSignInForm(req: FastifyRequest, csrf: unknown): void {
    const secret = req.cookies?.[PRE_SESSION_COOKIE];
    if (!secret || typeof csrf !== 'string' || !this.tokens.verify(secret, csrf))
      throw new DomainError(ErrorCode.Forbidden, 'The form has expired; reload the page and try again');
  }

  start(reply: FastifyReply, accessToken: string): void {
    reply.setCookie(SESSION_COOKIE, accessToken, {
      ...this.cookieOptions('Lax'),
      maxAge: this.config.jwtTtlSeconds,
    });
    reply.clearCookie(PRE_SESSION_COOKIE, { path: '/' });
  }

  end(reply: FastifyReply): void {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  async favouriteIds(viewer: SiteViewer): Promise<Set<string>> {
    return new Set(await this.favourites.ids(viewer.actor.userId));
  }

  /** What the item page shows a signed-in person: their status, what they may do, their star. */
  async itemPanel(viewer: SiteViewer, row: ItemRow, header: ProgrammeHeader, lang: Locale) {
    const p = SITE_PHRASES[lang];
    const mine = await this.registrations.liveFor(row.item.id, viewer.actor.userId);
    const open = row.item.status === 'scheduled' && row.item.registrationRequired;
    return {
      action: `/programmes/${header.programme.id}/items/${row.item.id}`,
      status: mine ? (mine.status === 'confirmed' ? p.confirmed : p.waitlisted(mine.waitlistPosition)) : '',
      canRegister: open && !mine,
      canCancel: Boolean(mine),
      favourite: await this.favourites.has(row.item.id, viewer.actor.userId),
      calendarUrl: viewer.calendarUrl,
    };
  }

  private sessionSecret(token: string): string {
    return createHmac('sha256', this.config.jwtSecret).update(`site-csrf:${token}`).digest('base64url');
  }

  private cookieOptions(sameSite: 'Lax' | 'Strict') {
    return {
      path: '/',
      httpOnly: true,
      sameSite: sameSite.toLowerCase() as 'lax' | 'strict',
      secure: this.config.publicUrl.startsWith('https://'),
    };
  }
}
