import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '@pavilion/config';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Short-lived HS256 access tokens; any other algorithm (including `none`) is refused. */
@Injectable()
export class TokensService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  /** `iatMs`: the issue time to the millisecond, so a password change revokes exactly the tokens before it. */
  issue(userId: string): { accessToken: string; expiresIn: number } {
    return {
      accessToken: this.jwt.sign({ sub: userId, iatMs: Date.now() }),
      expiresIn: this.config.jwtTtlSeconds,
    };
  }

  /**
   * The user id the token was issued to, or null for anything invalid, tampered or expired, or whose `sub` is
   * not a user id (a token signed with a leaked or shared secret must not reach the database as anything else).
   */
  verify(token: string): { userId: string; issuedAt: Date } | null {
    try {
      const payload = this.jwt.verify<{ sub?: unknown; iat?: unknown; iatMs?: unknown }>(token);
      if (typeof payload.sub !== 'string' || !UUID.test(payload.sub)) return null;
      const issuedMs =
        typeof payload.iatMs === 'number'
          ? payload.iatMs
          : typeof payload.iat === 'number'
            ? payload.iat * 1000
            : 0;
      return { userId: payload.sub, issuedAt: new Date(issuedMs) };
    } catch {
      return null;
    }
  }
}
