import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  AddMemberDto,
  CreateOrganizationDto,
  MemberResponseDto,
  OrganizationResponseDto,
  OrganizationsService,
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
}
