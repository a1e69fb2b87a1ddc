import { Injectable } from '@nestjs/common';
import { Actor, DomainError, ErrorCode } from '@pavilion/core';
import { PgSqlState, violates } from '@pavilion/database';
import { OrganizationMember, User } from './account.entities';
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

  /** Makes the person with this email an organizer of the organization (an attendee becomes an organizer). */
  addMember(organizationId: string, email: string): Promise<MemberResponseDto> {
    return this.enrol(organizationId, email, 'organizer');
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

  members(organizationId: string): Promise<MemberResponseDto[]> {
    return this.listed(organizationId, 'organizer');
  }

  /** The person loses the organization's rights with their next request (memberships are read per request). */
  async removeMember(organizationId: string, userId: string): Promise<void> {
    await this.get(organizationId);
    if (!(await this.repository.removeMember(organizationId, userId, 'organizer')))
      throw new DomainError(ErrorCode.NotFound, 'This person is not a member of the organization');
  }

  /** Check-in staff: may check people in for the organization's items, and nothing else. */
  addChecker(organizationId: string, email: string): Promise<MemberResponseDto> {
    return this.enrol(organizationId, email, 'checker');
  }

  checkers(organizationId: string): Promise<MemberResponseDto[]> {
    return this.listed(organizationId, 'checker');
  }

  /** The person loses check-in rights with their next request. */
  async removeChecker(organizationId: string, userId: string): Promise<void> {
    await this.get(organizationId);
    if (!(await this.repository.removeMember(organizationId, userId, 'checker')))
      throw new DomainError(ErrorCode.NotFound, 'This person is not check-in staff of the organization');
  }

  private async enrol(
    organizationId: string,
    email: string,
    role: OrganizationMember['role'],
  ): Promise<MemberResponseDto> {
    await this.get(organizationId);
    const user = await this.repository.findUserByEmail(email);
    if (!user)
      throw new DomainError(ErrorCode.NotFound, 'No account has this email; ask the person to sign up first');
    try {
      if (role === 'organizer') await this.repository.addMember(organizationId, user);
      else await this.repository.addChecker(organizationId, user.id);
    } catch (error) {
      if (violates(error, PgSqlState.UniqueViolation)) {
        throw new DomainError(
          ErrorCode.Duplicate,
          'This person is already a member or checker of the organization',
        );
      }
      throw error;
    }
    return toMember(organizationId, user);
  }

  private async listed(
    organizationId: string,
    role: OrganizationMember['role'],
  ): Promise<MemberResponseDto[]> {
    await this.get(organizationId);
    return (await this.repository.members(organizationId, role)).map((u) => toMember(organizationId, u));
  }
}

function toMember(organizationId: string, user: User): MemberResponseDto {
  return { organizationId, userId: user.id, email: user.email, displayName: user.displayName };
}
