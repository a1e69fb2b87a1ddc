import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  AddMemberDto,
  CreateOrganizationDto,
  MemberResponseDto,
  OrganizationResponseDto,
  OrganizationsService,
  RenameOrganizationDto,
} from '@pavilion/auth';
import { Actor } from '@pavilion/core';
import { Access, SignedInActor } from '../access/policy';
import { UuidPipe } from '../http/uuid.pipe';

@ApiTags('accounts')
@Controller('api/organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Post()
  @Access.admin()
  create(@Body() dto: CreateOrganizationDto): Promise<OrganizationResponseDto> {
    return this.organizations.create(dto.name);
  }

  @Get()
  @Access.signedIn()
  async list(@SignedInActor() actor: Actor): Promise<{ items: OrganizationResponseDto[]; nextCursor: null }> {
    return { items: await this.organizations.list(actor), nextCursor: null };
  }

  @Get(':id')
  @Access.ownerOf('organization')
  get(@Param('id', UuidPipe) id: string): Promise<OrganizationResponseDto> {
    return this.organizations.get(id);
  }

  @Post(':id/members')
  @Access.admin()
  addMember(@Param('id', UuidPipe) id: string, @Body() dto: AddMemberDto): Promise<MemberResponseDto> {
    return this.organizations.addMember(id, dto.email);
  }

  @Patch(':id')
  @Access.admin()
  rename(
    @Param('id', UuidPipe) id: string,
    @Body() dto: RenameOrganizationDto,
  ): Promise<OrganizationResponseDto> {
    return this.organizations.rename(id, dto.name);
  }

  @Get(':id/members')
  @Access.ownerOf('organization')
  async members(
    @Param('id', UuidPipe) id: string,
  ): Promise<{ items: MemberResponseDto[]; nextCursor: null }> {
    return { items: await this.organizations.members(id), nextCursor: null };
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  @Access.admin()
  async removeMember(
    @Param('id', UuidPipe) id: string,
    @Param('userId', UuidPipe) userId: string,
  ): Promise<void> {
    await this.organizations.removeMember(id, userId);
  }

  @Post(':id/checkers')
  @Access.ownerOf('organization')
  addChecker(@Param('id', UuidPipe) id: string, @Body() dto: AddMemberDto): Promise<MemberResponseDto> {
    return this.organizations.addChecker(id, dto.email);
  }

  @Get(':id/checkers')
  @Access.ownerOf('organization')
  async checkers(
    @Param('id', UuidPipe) id: string,
  ): Promise<{ items: MemberResponseDto[]; nextCursor: null }> {
    return { items: await this.organizations.checkers(id), nextCursor: null };
  }

  @Delete(':id/checkers/:userId')
  @HttpCode(204)
  @Access.ownerOf('organization')
  async removeChecker(
    @Param('id', UuidPipe) id: string,
    @Param('userId', UuidPipe) userId: string,
  ): Promise<void> {
    await this.organizations.removeChecker(id, userId);
  }
}
