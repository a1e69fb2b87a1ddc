import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ChangeRoleDto, UserListQueryDto, UserResponseDto, UsersService } from '@pavilion/auth';
import { Page } from '@pavilion/core';
import { Access } from '../access/policy';
import { UuidPipe } from '../http/uuid.pipe';

@ApiTags('accounts')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Access.admin()
  list(@Query() query: UserListQueryDto): Promise<Page<UserResponseDto>> {
    return this.users.list(query);
  }

  @Patch(':id')
  @Access.admin()
  changeRole(@Param('id', UuidPipe) id: string, @Body() dto: ChangeRoleDto): Promise<UserResponseDto> {
    return this.users.changeRole(id, dto.role);
  }
}
