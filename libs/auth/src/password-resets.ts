import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { AppConfig } from '@pavilion/config';
import { DomainError, ErrorCode } from '@pavilion/core';
import { InjectRedis } from '@pavilion/database';
import { User } from './account.entities';
import { AccountsRepository } from './accounts.repository';
import { hashPassword, refuseWeakPassword } from './passwords';

const WINDOW_MS = 60 * 60 * 1000;
const INVALID = 'is invalid, already used or expired; ask for a new one';

/** A reset to tell its person about: the token travels only in the letter; the database keeps its digest. */
export interface IssuedReset {
  user: User;
  token: string;
  expiresAt: Date;
}

export const tokenDigest = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Password reset by e-mail (API.md): single-use tokens that expire, stored as digests; requests limited per
 * email and per address in Redis; a changed password stamps the account so older credentials stop working.
 */
@Injectable()
export class PasswordResets {
  constructor(
    private readonly repository: AccountsRepository,
    @InjectRedis() private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /**
   * Issues a token for the account with this email, or null when there is none. Either way the request counts
   * against both limits, so the answer (and a 429) says nothing about whether the address exists.
   */
  async request(email: string, address: string): Promise<IssuedReset | null> {
    await this.count(`email:${email}`);
    await this.count(`address:${address}`);
    const user = await this.repository.findUserByEmail(email);
    if (!user) return null;
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.passwordResetTtlMs);
    await this.repository.createPasswordReset(user.id, tokenDigest(token), expiresAt);
    return { user, token, expiresAt };
  }

  /** Sets the new password once per token; every older access token, site session and dashboard cookie dies. */
  async confirm(token: string, password: string): Promise<void> {
    const hash = await hashPassword(password);
    const changed = await this.repository.usePasswordReset(tokenDigest(token), (user) => {
      refuseWeakPassword(password, user.email);
      return hash;
    });
    if (!changed) throw DomainError.invalid('token', INVALID);
  }

  private async count(subject: string): Promise<void> {
    const key = `${this.config.queuePrefix}:password-resets:${tokenDigest(subject)}`;
    const [[, requests]] = (await this.redis.multi().incr(key).pexpire(key, WINDOW_MS, 'NX').exec()) as [
      [Error | null, number],
    ];
    if (requests > this.config.passwordResetRateLimit) {
      const ttl = await this.redis.pttl(key);
      throw new DomainError(
        ErrorCode.RateLimited,
        `Too many password-reset requests; try again in ${Math.ceil(Math.max(ttl, 1000) / 60000)} minutes`,
      );
    }
  }
}
