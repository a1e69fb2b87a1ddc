import { Injectable } from '@nestjs/common';
import { decodeKeyset, DomainError, ErrorCode, Page, Role, toPage } from '@pavilion/core';
import { AccountsRepository } from './accounts.repository';
import { mapUser, UserListQueryDto, UserResponseDto } from './dto/account.dto';

/** The operator's view of accounts: list them, change a role. */
@Injectable()
export class UsersService {
  constructor(private readonly repository: AccountsRepository) {}

  async list(query: UserListQueryDto): Promise<Page<UserResponseDto>> {
    const rows = await this.repository.listUsers(
      query.limit + 1,
      { q: query.q, role: query.role },
      decodeKeyset(query.cursor, 'email'),
    );
    const page = toPage(
      rows,
      query.limit,
      (u) => [u.email, u.id],
      (u) => u,
    );
    const items = await Promise.all(
      page.items.map(async (u) => mapUser(u, await this.repository.organizationIdsOf(u.id))),
    );
    return { items, nextCursor: page.nextCursor };
  }

  /**
   * attendee ends the person's memberships; organizer needs a membership (add them to an organization, which
   * makes them one); the last admin cannot stop being one. Takes effect with the person's next request.
   */
  async changeRole(userId: string, role: Role): Promise<UserResponseDto> {
    const saved = await this.repository.changeRole(userId, role, (user, memberships, admins) => {
      if (role === 'organizer' && memberships === 0)
        throw new DomainError(
          ErrorCode.StateConflict,
          'An organizer acts for an organization: add the person to one (POST /api/organizations/:id/members)',
        );
      if (user.role === 'admin' && role !== 'admin' && admins <= 1)
        throw new DomainError(ErrorCode.StateConflict, 'The last admin cannot stop being one');
    });
    if (!saved) throw DomainError.notFound('User');
    return mapUser(saved, await this.repository.organizationIdsOf(userId));
  }
}
