import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { Actor, Page } from '@pavilion/core';
import {
  CheckInDto,
  RegistrantDto,
  RegistrantsQueryDto,
  RegistrationResponseDto,
  RegistrationsService,
} from '@pavilion/registrations';
import { Access, SignedInActor } from '../access/policy';
import { UuidPipe } from '../http/uuid.pipe';

/** The 201 of a registration, compiled once into Fastify's serializer (fast-json-stringify) for the hot path. */
const REGISTERED_SCHEMA = {
  type: 'object',
  required: ['id', 'itemId', 'status', 'checkInCode'],
  properties: {
    id: { type: 'string' },
    itemId: { type: 'string' },
    status: { type: 'string' },
    waitlistPosition: { type: 'integer' },
    checkInCode: { type: 'string' },
  },
} as const;

@ApiTags('registrations')
@Controller('api/items/:id')
export class RegistrationsController {
  constructor(private readonly registrations: RegistrationsService) {}

  @Post('registrations')
  @Access.signedIn()
  @RouteSchema({ response: { 201: REGISTERED_SCHEMA } })
  register(
    @Param('id', UuidPipe) id: string,
    @SignedInActor() actor: Actor,
  ): Promise<RegistrationResponseDto> {
    return this.registrations.register(id, actor);
  }

  @Delete('registrations/me')
  @HttpCode(204)
  @Access.signedIn()
  cancel(@Param('id', UuidPipe) id: string, @SignedInActor() actor: Actor): Promise<void> {
    return this.registrations.cancel(id, actor);
  }

  @Get('registrations')
  @Access.ownerOf('item')
  registrants(
    @Param('id', UuidPipe) id: string,
    @Query() query: RegistrantsQueryDto,
  ): Promise<Page<RegistrantDto>> {
    return this.registrations.registrants(id, query);
  }

  @Get('registrations.csv')
  @Access.ownerOf('item')
  @Header('cache-control', 'no-store')
  @ApiProduces('text/csv')
  async registrantsCsv(@Param('id', UuidPipe) id: string): Promise<StreamableFile> {
    return new StreamableFile(await this.registrations.registrantsCsv(id), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="registrants-${id}.csv"`,
    });
  }

  @Post('check-ins')
  @Access.checkInFor('item')
  checkIn(
    @Param('id', UuidPipe) id: string,
    @Body() dto: CheckInDto,
    @SignedInActor() actor: Actor,
  ): Promise<RegistrantDto> {
    return this.registrations.checkIn(id, dto, actor.userId);
  }
}
