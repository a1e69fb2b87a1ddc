import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Actor, definedOnly, DomainError, ErrorCode } from '@pavilion/core';
import { PgSqlState, violates } from '@pavilion/database';
import { User } from './account.entities';
import { AccountsRepository } from './accounts.repository';
import {
  AuthResponseDto,
  LoginDto,
  mapMe,
  mapUser,
  MeResponseDto,
  SignupDto,
  UpdateMeDto,
} from './dto/account.dto';
import { LoginAttempts } from './login-attempts';
import { decoyHash, hashPassword, refuseWeakPassword, verifyPassword } from './passwords';
import { TokensService } from './tokens.service';
import { adminSessionValue, verifyAdminSession } from './admin-session';
import { verifyReminderUnsubscribeToken } from './unsubscribe';
import { AppConfig } from '@pavilion/config';

const INVALID_LOGIN = 'Email or password is incorrect';

export function newFeedToken(): string {
  return randomBytes(32).toString('base64url');
}

@Injectable()
export class AccountsService {
  private readonly logger = new Logger(AccountsService.name);

  constructor(
    private readonly repository: AccountsRepository,
    private readonly tokens: TokensService,
    private readonly loginAttempts: LoginAttempts,
    private readonly config: AppConfig,
  ) {}

  async signup(dto: SignupDto): Promise<AuthResponseDto> {
    refuseWeakPassword(dto.password, dto.email);
    try {
      const user = await this.repository.createUser({
        email: dto.email,
        passwordHash: await hashPassword(dto.password),
        displayName: dto.displayName,
        role: 'attendee',
        locale: dto.locale ?? 'en',
        timezone: dto.timezone ?? null,
        notificationPreferences: { email: true, reminders: true },
        calendarFeedToken: newFeedToken(),
      });
      return { user: mapUser(user, []), ...this.tokens.issue(user.id) };
    } catch (error) {
      if (violates(error, PgSqlState.UniqueViolation, 'users_email_key')) {
        throw new DomainError(ErrorCode.Duplicate, 'An account with this email already exists');
      }
      throw error;
    }
  }

  async login(dto: LoginDto, address: string): Promise<AuthResponseDto> {
    await this.loginAttempts.refuseIfLimited(dto.email, address);
    const user = await this.repository.findUserByEmail(dto.email);
    const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash()), dto.password);
    if (!user || !valid) {
      await this.loginAttempts.recordFailure(dto.email, address);
      throw new DomainError(ErrorCode.Unauthenticated, INVALID_LOGIN);
    }
    return {
      user: mapUser(user, await this.repository.organizationIdsOf(user.id)),
      ...this.tokens.issue(user.id),
    };
  }

  /**
   * Signs an admin in for the browser pages under /admin (the queue dashboard): the same checks and rate limit
   * as a login, then the value of the admin session cookie. Anyone else is refused.
   */
  async adminSession(dto: LoginDto, address: string): Promise<string> {
    const { user } = await this.login(dto, address);
    if (user.role !== 'admin') throw new DomainError(ErrorCode.Forbidden, 'Only admins may sign in here');
    return adminSessionValue(user.id, this.config.jwtSecret);
  }

  /** The actor behind an admin session cookie, or null when it is forged, expired, or its user is gone. */
  async actorForAdminSession(value: string): Promise<Actor | null> {
    const session = verifyAdminSession(value, this.config.jwtSecret);
    return session ? this.repository.findActor(session.userId, session.issuedAt) : null;
  }

  /**
   * The actor behind a bearer token (or a site session, which holds one), or null when the token is invalid,
   * its user no longer exists, or the password changed after it was issued.
   */
  async actorForToken(token: string): Promise<Actor | null> {
    const verified = this.tokens.verify(token);
    if (!verified) return null;
    return this.repository.findActor(verified.userId, verified.issuedAt);
  }

  async me(userId: string): Promise<MeResponseDto> {
    const user = await this.requireUser(userId);
    return mapMe(user, await this.repository.organizationIdsOf(userId));
  }

  async updateMe(userId: string, dto: UpdateMeDto): Promise<MeResponseDto> {
    const user = await this.requireUser(userId);
    const change: Partial<User> = {
      ...(dto.displayName !== undefined && { displayName: dto.displayName }),
      ...(dto.locale !== undefined && { locale: dto.locale }),
      ...(dto.timezone !== undefined && { timezone: dto.timezone }),
      ...(dto.notificationPreferences && {
        notificationPreferences: {
          ...user.notificationPreferences,
          ...definedOnly(dto.notificationPreferences),
        },
      }),
    };
    const saved = await this.repository.updateUser(userId, change);
    return mapMe(saved, await this.repository.organizationIdsOf(userId));
  }

  async rotateFeedToken(userId: string): Promise<MeResponseDto> {
    await this.requireUser(userId);
    const saved = await this.repository.updateUser(userId, { calendarFeedToken: newFeedToken() });
    return mapMe(saved, await this.repository.organizationIdsOf(userId));
  }

  /** Whom an unsubscribe link was made for; a forged, altered or expired link is a 404. */
  async unsubscribeSubject(token: string): Promise<User> {
    const userId = verifyReminderUnsubscribeToken(token, this.config.jwtSecret);
    const user = userId ? await this.repository.findUserById(userId) : null;
    if (!user) throw DomainError.notFound('Subscription');
    return user;
  }

  /** Turns reminders off for the person an unsubscribe link was made for (the one-click POST). */
  async unsubscribeReminders(token: string): Promise<void> {
    const user = await this.unsubscribeSubject(token);
    await this.repository.updateUser(user.id, {
      notificationPreferences: { ...user.notificationPreferences, reminders: false },
    });
  }

  /** The user whose calendar feed this token opens; an unknown or rotated token is a 404. */
  async userForFeedToken(token: string): Promise<User> {
    const user = token.length >= 20 ? await this.repository.findUserByFeedToken(token) : null;
    if (!user) throw DomainError.notFound('Calendar feed');
    return user;
  }

  /** First step of erasure: nothing more is sent to the person while their registrations are released (the last admin may not go). */
  async silence(userId: string): Promise<void> {
    const user = await this.requireUser(userId);
    if (user.role === 'admin' && (await this.repository.listUsers(2, { role: 'admin' })).length < 2)
      throw new DomainError(ErrorCode.StateConflict, 'The last admin cannot erase their account');
    await this.repository.updateUser(userId, {
      notificationPreferences: { ...user.notificationPreferences, email: false, reminders: false },
    });
  }

  /** Last step of erasure (DELETE /api/me): the account's personal data is gone and its credentials revoked. */
  async erase(userId: string): Promise<void> {
    await this.requireUser(userId);
    await this.repository.eraseUser(userId, newFeedToken());
  }

  /** Creates the first admin from the environment once; an existing account is never changed. */
  async ensureAdmin(email: string, password: string): Promise<'created' | 'exists'> {
    const normalized = email.trim().toLowerCase();
    const created = await this.repository.createUserIfAbsent({
      email: normalized,
      passwordHash: await hashPassword(password),
      displayName: 'Pavilion operator',
      role: 'admin',
      locale: 'en',
      timezone: null,
      notificationPreferences: { email: true, reminders: true },
      calendarFeedToken: newFeedToken(),
    });
    if (!created) {
      const existing = await this.repository.findUserByEmail(normalized);
      if (existing?.role !== 'admin')
        this.logger.warn(`ADMIN_EMAIL ${normalized} belongs to a non-admin account; it was left unchanged`);
    }
    return created ? 'created' : 'exists';
  }

  private async requireUser(id: string): Promise<User> {
    const user = await this.repository.findUserById(id);
    if (!user) throw new DomainError(ErrorCode.Unauthenticated, 'The account no longer exists');
    return user;
  }
}
