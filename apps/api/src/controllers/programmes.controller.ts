import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Page } from '@pavilion/core';
import {
  CreateItemDto,
  CreateProgrammeDto,
  ItemListQueryDto,
  ItemResponseDto,
  ItemsService,
  ProgrammeListQueryDto,
  ProgrammeResponseDto,
  ProgrammesService,
  UpdateProgrammeDto,
} from '@pavilion/programmes';
import { Access, CurrentActor } from '../access/policy';
import { UuidPipe } from '../http/uuid.pipe';

@ApiTags('programmes')
@Controller('api/programmes')
export class ProgrammesController {
  constructor(
    private readonly programmes: ProgrammesService,
    private readonly items: ItemsService,
  ) {}

  @Post()
  @Access.ownerOfBodyOrganization()
  create(@Body() dto: CreateProgrammeDto): Promise<ProgrammeResponseDto> {
    return this.programmes.create(dto);
  }

  @Get()
  @Access.public()
  list(
    @Query() query: ProgrammeListQueryDto,
    @CurrentActor() actor: Actor | null,
  ): Promise<Page<ProgrammeResponseDto>> {
    return this.programmes.list(query, actor);
  }

  @Get(':id')
  @Access.public()
  get(@Param('id', UuidPipe) id: string, @CurrentActor() actor: Actor | null): Promise<ProgrammeResponseDto> {
    return this.programmes.get(id, actor);
  }

  @Patch(':id')
  @Access.ownerOf('programme')
  update(@Param('id', UuidPipe) id: string, @Body() dto: UpdateProgrammeDto): Promise<ProgrammeResponseDto> {
    return this.programmes.update(id, dto);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Access.ownerOf('programme')
  publish(@Param('id', UuidPipe) id: string): Promise<ProgrammeResponseDto> {
    return this.programmes.publish(id);
  }

  @Post(':id/items')
  @Access.ownerOf('programme')
  createItem(@Param('id', UuidPipe) id: string, @Body() dto: CreateItemDto): Promise<ItemResponseDto> {
    return this.items.create(id, dto);
  }

  @Get(':id/items')
  @Access.public()
  listItems(
    @Param('id', UuidPipe) id: string,
    @Query() query: ItemListQueryDto,
    @CurrentActor() actor: Actor | null,
  ): Promise<Page<ItemResponseDto>> {
    return this.items.list(id, query, actor);
  }
}
