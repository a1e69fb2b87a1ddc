import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AccountsService, MeResponseDto, UpdateMeDto } from '@pavilion/auth';
import { Actor } from '@pavilion/core';
import { Access, SignedInActor } from '../access/policy';

@ApiTags('accounts')
@Controller('api/me')
export class MeController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @Access.signedIn()
  me(@SignedInActor() actor: Actor): Promise<MeResponseDto> {
    return this.accounts.me(actor.userId);
  }

  @Patch()
  @Access.signedIn()
  update(@SignedInActor() actor: Actor, @Body() dto: UpdateMeDto): Promise<MeResponseDto> {
    return this.accounts.updateMe(actor.userId, dto);
  }

  @Post('calendar-feed-token')
  @Access.signedIn()
  rotateFeedToken(@SignedInActor() actor: Actor): Promise<MeResponseDto> {
    return this.accounts.rotateFeedToken(actor.userId);
  }
}
