import { Body, Controller, Delete, Get, Header, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AccountsService, MeResponseDto, UpdateMeDto } from '@pavilion/auth';
import { Actor, Page } from '@pavilion/core';
import { ParticipantsService } from '@pavilion/meetings';
import { MyRegistrationDto, RegistrationsService } from '@pavilion/registrations';
import { Access, SignedInActor } from '../access/policy';

/** The profile carries the calendar feed token, a secret: no response here may be stored by a cache. */
@ApiTags('accounts')
@Controller('api/me')
export class MeController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly registrations: RegistrationsService,
    private readonly participants: ParticipantsService,
  ) {}

  @Get()
  @Access.signedIn()
  @Header('cache-control', 'no-store')
  me(@SignedInActor() actor: Actor): Promise<MeResponseDto> {
    return this.accounts.me(actor.userId);
  }

  @Patch()
  @Access.signedIn()
  @Header('cache-control', 'no-store')
  update(@SignedInActor() actor: Actor, @Body() dto: UpdateMeDto): Promise<MeResponseDto> {
    return this.accounts.updateMe(actor.userId, dto);
  }

  /**
   * Erases the account: silenced first, then every live registration released (seats freed, waitlists
   * promoted) and every B2B participation left and anonymised (meetings cancelled, their places free), then the
   * personal data replaced and the credentials revoked. A failure part-way leaves the
   * account usable, so the same call finishes the job.
   */
  @Delete()
  @HttpCode(204)
  @Access.signedIn()
  async erase(@SignedInActor() actor: Actor): Promise<void> {
    await this.accounts.silence(actor.userId);
    await this.registrations.releaseAll(actor.userId);
    await this.participants.eraseAllOf(actor.userId);
    await this.accounts.erase(actor.userId);
  }

  @Get('registrations')
  @Access.signedIn()
  @Header('cache-control', 'no-store')
  myRegistrations(@SignedInActor() actor: Actor): Promise<Page<MyRegistrationDto>> {
    return this.registrations.mine(actor);
  }

  @Post('calendar-feed-token')
  @Access.signedIn()
  @Header('cache-control', 'no-store')
  rotateFeedToken(@SignedInActor() actor: Actor): Promise<MeResponseDto> {
    return this.accounts.rotateFeedToken(actor.userId);
  }
}
