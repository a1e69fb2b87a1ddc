import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '@pavilion/core';
import {
  CancelItemDto,
  ItemReadsService,
  ItemResponseDto,
  ItemWritesService,
  UpdateItemDto,
} from '@pavilion/programmes';
import { Access, CurrentActor } from '../access/policy';
import { UuidPipe } from '../http/uuid.pipe';

@ApiTags('programmes')
@Controller('api/items')
export class ItemsController {
  constructor(
    private readonly reads: ItemReadsService,
    private readonly writes: ItemWritesService,
  ) {}

  @Get(':id')
  @Access.public()
  get(@Param('id', UuidPipe) id: string, @CurrentActor() actor: Actor | null): Promise<ItemResponseDto> {
    return this.reads.get(id, actor);
  }

  @Patch(':id')
  @Access.ownerOf('item')
  update(@Param('id', UuidPipe) id: string, @Body() dto: UpdateItemDto): Promise<ItemResponseDto> {
    return this.writes.update(id, dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Access.ownerOf('item')
  cancel(@Param('id', UuidPipe) id: string, @Body() dto: CancelItemDto): Promise<ItemResponseDto> {
    return this.writes.cancel(id, dto.reason);
  }
}
