import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '@pavilion/core';
import { CancelItemDto, ItemResponseDto, ItemsService, UpdateItemDto } from '@pavilion/programmes';
import { Access, CurrentActor } from '../access/policy';
import { UuidPipe } from '../http/uuid.pipe';

@ApiTags('programmes')
@Controller('api/items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Get(':id')
  @Access.public()
  get(@Param('id', UuidPipe) id: string, @CurrentActor() actor: Actor | null): Promise<ItemResponseDto> {
    return this.items.get(id, actor);
  }

  @Patch(':id')
  @Access.ownerOf('item')
  update(@Param('id', UuidPipe) id: string, @Body() dto: UpdateItemDto): Promise<ItemResponseDto> {
    return this.items.update(id, dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Access.ownerOf('item')
  cancel(@Param('id', UuidPipe) id: string, @Body() dto: CancelItemDto): Promise<ItemResponseDto> {
    return this.items.cancel(id, dto.reason);
  }
}
