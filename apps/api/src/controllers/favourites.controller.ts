import { Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '@pavilion/core';
import { ItemResponseDto } from '@pavilion/programmes';
import { FavouritesService } from '@pavilion/registrations';
import { Access, SignedInActor } from '../access/policy';
import { UuidPipe } from '../http/uuid.pipe';

@ApiTags('favourites')
@Controller('api')
export class FavouritesController {
  constructor(private readonly favourites: FavouritesService) {}

  @Put('items/:id/favourite')
  @HttpCode(204)
  @Access.signedIn()
  async add(@Param('id', UuidPipe) id: string, @SignedInActor() actor: Actor): Promise<void> {
    await this.favourites.add(id, actor);
  }

  @Delete('items/:id/favourite')
  @HttpCode(204)
  @Access.signedIn()
  async remove(@Param('id', UuidPipe) id: string, @SignedInActor() actor: Actor): Promise<void> {
    await this.favourites.remove(id, actor);
  }

  @Get('me/favourites')
  @Access.signedIn()
  async list(@SignedInActor() actor: Actor): Promise<{ items: ItemResponseDto[] }> {
    return { items: await this.favourites.list(actor.userId) };
  }
}
