import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, Role } from '@pavilion/core';
import { Organization, OrganizationMember, User } from './account.entities';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type NewUser = Omit<User, 'id' | 'createdAt' | 'updatedAt' | 'credentialsChangedAt'>;

type ActorFacts = { actor: Actor; credentialsChangedAt: Date | null };

/** The auth lib's only door to PostgreSQL. */
@Injectable()
export class AccountsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  createUser(user: NewUser): Promise<User> {
    const repo = this.db.getRepository(User);
    return repo.save(repo.create(user));
  }

  /** Inserts the user unless the email is taken; returns whether it was created. */
  async createUserIfAbsent(user: NewUser): Promise<boolean> {
    const result = await this.db.createQueryBuilder().insert().into(User).values(user).orIgnore().execute();
    return (result.identifiers ?? []).filter(Boolean).length > 0;
  }

  findUserById(id: string): Promise<User | null> {
    return this.db.getRepository(User).findOneBy({ id });
  }

  findUserByEmail(email: string): Promise<User | null> {
    return this.db.getRepository(User).findOneBy({ email });
  }

  findUserByFeedToken(token: string): Promise<User | null> {
    return this.db.getRepository(User).findOneBy({ calendarFeedToken: token });
  }

  async updateUser(id: string, change: Partial<User>): Promise<User> {
    const repo = this.db.getRepository(User);
    await repo.update({ id }, change);
    return repo.findOneByOrFail({ id });
  }

  /**
   * Who a token's user is, with their organizations (on every authenticated request); null when the user is
   * gone or changed their password after `issuedAt` (the token, session or cookie is revoked). Lookups asked for
   * in the same turn of the event loop go to PostgreSQL as one query (DataLoader, nothing cached between turns),
   * so a rush of requests costs one round trip per batch instead of one per request.
   */
  async findActor(userId: string, issuedAt: Date): Promise<Actor | null> {
    const facts = await this.actors.load(userId);
    if (!facts) return null;
    const changed = facts.credentialsChangedAt;
    return changed === null || changed.getTime() <= issuedAt.getTime() ? facts.actor : null;
  }

  private readonly actors = new DataLoader<string, ActorFacts | null>((ids) => this.findActors(ids), {
    cache: false,
    maxBatchSize: 500,
    batchScheduleFn: (run) => setImmediate(run),
  });

  private async findActors(ids: readonly string[]): Promise<(ActorFacts | null)[]> {
    const valid = ids.filter((id) => UUID.test(id));
    const rows: {
      id: string;
      role: Actor['role'];
      organization_ids: string[];
      checks_for: string[];
      credentials_changed_at: Date | null;
    }[] =
      valid.length === 0
        ? []
        : await this.db.query(
            `SELECT u.id, u.role, u.credentials_changed_at,
                    coalesce(array_agg(m.organization_id ORDER BY m.created_at) FILTER (WHERE m.role = 'organizer'), '{}') AS organization_ids,
                    coalesce(array_agg(m.organization_id ORDER BY m.created_at) FILTER (WHERE m.role = 'checker'), '{}') AS checks_for
               FROM users u LEFT JOIN organization_members m ON m.user_id = u.id
              WHERE u.id = ANY($1::uuid[]) GROUP BY u.id`,
            [[...new Set(valid)]],
          );
    const byId = new Map(
      rows.map((row) => [
        row.id,
        {
          actor: {
            userId: row.id,
            role: row.role,
            organizationIds: row.organization_ids,
            checksFor: row.checks_for,
          },
          credentialsChangedAt: row.credentials_changed_at,
        },
      ]),
    );
    return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
  }

  async organizationIdsOf(userId: string): Promise<string[]> {
    const rows = await this.db
      .getRepository(OrganizationMember)
      .find({ where: { userId, role: 'organizer' }, order: { createdAt: 'ASC' } });
    return rows.map((r) => r.organizationId);
  }

  createOrganization(name: string): Promise<Organization> {
    const repo = this.db.getRepository(Organization);
    return repo.save(repo.create({ name }));
  }

  findOrganization(id: string): Promise<Organization | null> {
    return this.db.getRepository(Organization).findOneBy({ id });
  }

  listOrganizations(ids: string[] | 'all'): Promise<Organization[]> {
    const qb = this.db.getRepository(Organization).createQueryBuilder('o').orderBy('o.name');
    if (ids !== 'all') qb.where('o.id = ANY(:ids)', { ids });
    return qb.getMany();
  }

  /** Names a person check-in staff of the organization; their role elsewhere does not change. */
  async addChecker(organizationId: string, userId: string): Promise<void> {
    await this.db.getRepository(OrganizationMember).insert({ organizationId, userId, role: 'checker' });
  }

  /** Adds the membership and makes an attendee an organizer, in one transaction. */
  addMember(organizationId: string, user: User): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx
        .getRepository(OrganizationMember)
        .insert({ organizationId, userId: user.id, role: 'organizer' });
      if (user.role === 'attendee')
        await tx.getRepository(User).update({ id: user.id }, { role: 'organizer' });
    });
  }

  renameOrganization(id: string, name: string): Promise<number> {
    return this.db
      .getRepository(Organization)
      .update({ id }, { name })
      .then((r) => r.affected ?? 0);
  }

  /** The organization's members (organizers, or check-in staff) with their accounts, in the order they joined. */
  async members(organizationId: string, role: OrganizationMember['role']): Promise<User[]> {
    return this.db
      .getRepository(User)
      .createQueryBuilder('u')
      .innerJoin(OrganizationMember, 'm', 'm.user_id = u.id')
      .where('m.organization_id = :organizationId AND m.role = :role', { organizationId, role })
      .orderBy('m.created_at')
      .addOrderBy('u.id')
      .getMany();
  }

  /**
   * Ends a membership; an organizer left without any organization becomes an attendee, in the same
   * transaction. False when there was no such membership.
   */
  removeMember(organizationId: string, userId: string, role: OrganizationMember['role']): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
      const removed = await tx.getRepository(OrganizationMember).delete({ organizationId, userId, role });
      if (!removed.affected) return false;
      await tx.query(
        `UPDATE users SET role = 'attendee', updated_at = now()
          WHERE id = $1 AND role = 'organizer'
            AND NOT EXISTS (SELECT 1 FROM organization_members WHERE user_id = $1 AND role = 'organizer')`,
        [userId],
      );
      return true;
    });
  }

  listUsers(
    limit: number,
    filter: { q?: string; role?: Role },
    after?: { email: string; id: string },
  ): Promise<User[]> {
    const qb = this.db
      .getRepository(User)
      .createQueryBuilder('u')
      .orderBy('u.email')
      .addOrderBy('u.id')
      .limit(limit);
    qb.where('true');
    if (filter.q)
      qb.andWhere('(u.email ILIKE :q OR u.display_name ILIKE :q)', {
        q: `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    if (filter.role) qb.andWhere('u.role = :role', { role: filter.role });
    if (after) qb.andWhere('(u.email, u.id) > (:email, :id)', after);
    return qb.getMany();
  }

  /**
   * Sets a user's role under the row lock, after `decide` (which sees the user, their memberships and how many
   * admins there are) allows it. Becoming an attendee ends every membership. Null when there is no such user.
   */
  changeRole(
    userId: string,
    role: Role,
    decide: (user: User, memberships: number, admins: number) => void,
  ): Promise<User | null> {
    return this.db.transaction(async (tx) => {
      // The admin rows first, in order: two demotions of the last two admins serialize here, and cannot both pass.
      const admins = (await tx.query(`SELECT id FROM users WHERE role = 'admin' ORDER BY id FOR UPDATE`))
        .length;
      const user = await tx
        .getRepository(User)
        .findOne({ where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      if (!user) return null;
      const memberships = await tx
        .getRepository(OrganizationMember)
        .count({ where: { userId, role: 'organizer' } });
      decide(user, memberships, admins);
      if (role === 'attendee')
        await tx.getRepository(OrganizationMember).delete({ userId, role: 'organizer' });
      await tx.getRepository(User).update({ id: userId }, { role });
      return tx.getRepository(User).findOneByOrFail({ id: userId });
    });
  }

  createPasswordReset(userId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    return this.db
      .query(`INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ($1, $2, $3)`, [
        userId,
        tokenHash,
        expiresAt,
      ])
      .then(() => undefined);
  }

  /**
   * Uses a live reset token once, under its row lock: `newHash` (which may refuse by throwing) gives the
   * password hash; the password, the credentials stamp and the token's use are written together, and the
   * person's other open tokens are spent too. False when the token is unknown, used or expired.
   */
  usePasswordReset(tokenHash: string, newHash: (user: User) => string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [reset]: { id: string; user_id: string }[] = await tx.query(
        `SELECT id, user_id FROM password_resets
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() FOR UPDATE`,
        [tokenHash],
      );
      if (!reset) return false;
      const user = await tx.getRepository(User).findOneByOrFail({ id: reset.user_id });
      const passwordHash = newHash(user);
      // clock_timestamp(), not the transaction's start: credentials issued while this ran are older than it.
      await tx.query(
        `UPDATE users SET password_hash = $2, credentials_changed_at = clock_timestamp(), updated_at = now()
          WHERE id = $1`,
        [user.id, passwordHash],
      );
      await tx.query(`UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [
        user.id,
      ]);
      return true;
    });
  }

  /**
   * Erases the person's account data and keeps the row, anonymised, for what refers to it (registrations
   * counted, notices sent): name, email, password, time zone and feed token are replaced, memberships and
   * reset tokens removed, and every credential issued so far revoked.
   */
  eraseUser(userId: string, feedToken: string): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM organization_members WHERE user_id = $1', [userId]);
      await tx.query('DELETE FROM password_resets WHERE user_id = $1', [userId]);
      await tx.query(
        `UPDATE users
            SET email = 'erased-' || id || '@erased.invalid', display_name = 'Erased account',
                password_hash = '!', role = 'attendee', timezone = NULL, calendar_feed_token = $2,
                notification_preferences = '{"email": false, "reminders": false}',
                credentials_changed_at = clock_timestamp(), erased_at = now(), updated_at = now()
          WHERE id = $1`,
        [userId, feedToken],
      );
    });
  }
}
