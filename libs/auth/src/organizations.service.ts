import { Injectable } from '@nestjs/common';
import { Actor, DomainError, ErrorCode } from '@pavilion/core';
import { PgSqlState, violates } from '@pavilion/database';
import { AccountsRepository } from './accounts.repository';
import { mapOrganization, MemberResponseDto, OrganizationResponseDto } from './dto/account.dto';

@Injectable()
export class OrganizationsService {
  constructor(private readonly repository: AccountsRepository) {}

  async create(name: string): Promise<OrganizationResponseDto> {
    try {
      return mapOrganization(await this.repository.createOrganization(name));
    } catch (error) {
      if (violates(error, PgSqlState.UniqueViolation, 'organizations_name_key')) {
        throw new DomainError(ErrorCode.Duplicate, `An organization named "${name}" already exists`);
      }
      throw error;
    }
  }

  async list(actor: Actor): Promise<OrganizationResponseDto[]> {
    const rows = await this.repository.listOrganizations(
      actor.role === 'admin' ? 'all' : actor.organizationIds,
    );
    return rows.map(mapOrganization);
  }

  async get(id: string): Promise<OrganizationResponseDto> {
    const organization = await this.repository.findOrganization(id);
    if (!organization) throw DomainError.notFound('Organization');
    return mapOrganization(organization);
  }

  async addMember(organizationId: string, email: string): Promise<MemberResponseDto> {
    if (!(await this.repository.findOrganization(organizationId))) throw DomainError.notFound('Organization');
    const user = await this.repository.findUserByEmail(email);
    if (!user)
      throw new DomainError(ErrorCode.NotFound, 'No account has this email; ask the person to sign up first');
    try {
      await this.repository.addMember(organizationId, user);
    } catch (error) {
      if (violates(error, PgSqlState.UniqueViolation)) {
        throw new DomainError(ErrorCode.Duplicate, 'This person is already a member of the organization');
      }
      throw error;
    }
    return { organizationId, userId: user.id, email: user.email, displayName: user.displayName };
  }

  async rename(id: string, name: string): Promise<OrganizationResponseDto> {
    try {
      if (!(await this.repository.renameOrganization(id, name))) throw DomainError.notFound('Organization');
    } catch (error) {
      if (violates(error, PgSqlState.UniqueViolation, 'organizations_name_key')) {
        throw new DomainError(ErrorCode.Duplicate, `An organization named "${name}" already exists`);
      }
      throw error;
    }
    return this.get(id);
  }

  async members(organizationId: string): Promise<MemberResponseDto[]> {
    await this.get(organizationId);
    return (await this.repository.members(organizationId, 'organizer')).map((u) => ({
      organizationId,
      userId: u.id,
      email: u.email,
      displayName: u.displayName,
    }));
  }

  /** The person loses the organization's rights with their next request (memberships are read per request). */
  async removeMember(organizationId: string, userId: string): Promise<void> {
    await this.get(organizationId);
    if (!(await this.repository.removeMember(organizationId, userId, 'organizer')))
      throw new DomainError(ErrorCode.NotFound, 'This person is not a member of the organization');
  }

  /** Check-in staff: may check people in for the organization's items, and nothing else. */
  async addChecker(organizationId: string, email: string): Promise<MemberResponseDto> {
    await this.get(organizationId);
    const user = await this.repository.findUserByEmail(email);
    if (!user)
      throw new DomainError(ErrorCode.NotFound, 'No account has this email; ask the person to sign up first');
    try {
      await this.repository.addChecker(organizationId, user.id);
    } catch (error) {
      if (violates(error, PgSqlState.UniqueViolation))
        throw new DomainError(
          ErrorCode.Duplicate,
          'This person is already a member or checker of the organization',
        );
      throw error;
    }
    return { organizationId, userId: user.id, email: user.email, displayName: user.displayName };
  }

  async checkers(organizationId: string): Promise<MemberResponseDto[]> {
    await this.get(organizationId);
    return (await this.repository.members(organizationId, 'checker')).map((u) => ({
      organizationId,
      userId: u.id,
      email: u.email,
      displayName: u.displayName,
    }));
  }

  /** The person loses check-in rights with their next request. */
  async removeChecker(organizationId: string, userId: string): Promise<void> {
    await this.get(organizationId);
    if (!(await this.repository.removeMember(organizationId, userId, 'checker')))
      throw new DomainError(ErrorCode.NotFound, 'This person is not check-in staff of the organization');
  }
}
