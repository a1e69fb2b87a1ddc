import { Body, Controller, Get, Header, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountsService, ADMIN_SESSION_COOKIE, ADMIN_SESSION_MINUTES, LoginDto } from '@pavilion/auth';
import { AppConfig } from '@pavilion/config';
import { Access } from '../access/policy';
import { adminSignInPage } from '../http/admin-sign-in-page';
import { QUEUE_DASHBOARD_PATH } from '../http/queue-dashboard';

/**
 * A way into the browser pages under /admin (the queue dashboard, whose page, assets and API a browser cannot
 * send a bearer header to): an admin signs in once and gets a short-lived, signed, HTTP-only cookie.
 */
@ApiTags('operations')
@Controller('admin')
export class AdminSessionController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly config: AppConfig,
  ) {}

  @Get('sign-in')
  @Access.public()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiProduces('text/html')
  page(): string {
    return adminSignInPage();
  }

  /** JSON or the page's form; a form post is sent on to the dashboard (303), a JSON one gets 204. */
  @Post('sign-in')
  @HttpCode(204)
  @Access.public()
  @Header('cache-control', 'no-store')
  async signIn(
    @Body() dto: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const session = await this.accounts.adminSession(dto, request.ip);
    reply.header('set-cookie', this.cookie(session, ADMIN_SESSION_MINUTES * 60));
    if ((request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      reply.status(303).header('location', `${QUEUE_DASHBOARD_PATH}/`);
    }
  }

  @Post('sign-out')
  @HttpCode(204)
  @Access.public()
  signOut(@Res({ passthrough: true }) reply: FastifyReply): void {
    reply.header('set-cookie', this.cookie('', 0));
  }

  private cookie(value: string, maxAge: number): string {
    const secure = this.config.publicUrl.startsWith('https:') ? '; Secure' : '';
    return `${ADMIN_SESSION_COOKIE}=${value}; Path=/admin; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`;
  }
}
