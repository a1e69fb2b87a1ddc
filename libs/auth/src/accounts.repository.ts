import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '@pavilion/core';
import { Organization, OrganizationMember, User } from './account.entities';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type NewUser = Omit<User, 'id' | 'createdAt' | 'updatedAt'>;

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
   * Who a token's user is, with their organizations (on every authenticated request). Lookups asked for in
   * the same turn of the event loop go to PostgreSQL as one query (DataLoader, nothing cached between turns),
   * so a rush of requests costs one round trip per batch instead of one per request.
   */
  findActor(userId: string): Promise<Actor | null> {
    return this.actors.load(userId);
  }

  private readonly actors = new DataLoader<string, Actor | null>((ids) => this.findActors(ids), {
    cache: false,
    maxBatchSize: 500,
    batchScheduleFn: (run) => setImmediate(run),
  });

  private async findActors(ids: readonly string[]): Promise<(Actor | null)[]> {
    const valid = ids.filter((id) => UUID.test(id));
    const rows: { id: string; role: Actor['role']; organization_ids: string[] }[] =
      valid.length === 0
        ? []
        : await this.db.query(
            `SELECT u.id, u.role,
                    coalesce(array_agg(m.organization_id ORDER BY m.created_at) FILTER (WHERE m.organization_id IS NOT NULL), '{}') AS organization_ids
               FROM users u LEFT JOIN organization_members m ON m.user_id = u.id
              WHERE u.id = ANY($1::uuid[]) GROUP BY u.id`,
            [[...new Set(valid)]],
          );
    const byId = new Map(
      rows.map((row) => [row.id, { userId: row.id, role: row.role, organizationIds: row.organization_ids }]),
    );
    return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
  }

  async organizationIdsOf(userId: string): Promise<string[]> {
    const rows = await this.db
      .getRepository(OrganizationMember)
      .find({ where: { userId }, order: { createdAt: 'ASC' } });
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

  /** Adds the membership and makes an attendee an organizer, in one transaction. */
  addMember(organizationId: string, user: User): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx.getRepository(OrganizationMember).insert({ organizationId, userId: user.id });
      if (user.role === 'attendee')
        await tx.getRepository(User).update({ id: user.id }, { role: 'organizer' });
    });
  }
}
