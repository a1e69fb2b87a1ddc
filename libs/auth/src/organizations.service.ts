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
}
