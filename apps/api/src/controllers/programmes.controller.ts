import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, DomainError, Page } from '@pavilion/core';
import {
  CreateItemDto,
  CreateProgrammeDto,
  ItemListQueryDto,
  ItemResponseDto,
  ItemReadsService,
  ItemWritesService,
  ProgrammeListQueryDto,
  ProgrammeResponseDto,
  ProgrammesService,
  UpdateProgrammeDto,
  ItemImportQueryDto,
  ItemImportResponseDto,
  ItemsImportService,
} from '@pavilion/programmes';
import { Access, CurrentActor } from '../access/policy';
import { UuidPipe } from '../http/uuid.pipe';

@ApiTags('programmes')
@Controller('api/programmes')
export class ProgrammesController {
  constructor(
    private readonly programmes: ProgrammesService,
    private readonly itemWrites: ItemWritesService,
    private readonly itemReads: ItemReadsService,
    private readonly imports: ItemsImportService,
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

  /** Back to draft (API.md, Everyday management): public reads 404 again; registrants are told. */
  @Post(':id/unpublish')
  @HttpCode(200)
  @Access.ownerOf('programme')
  @ApiOkResponse({
    type: ProgrammeResponseDto,
    description: 'status `draft`; a programme that is not published → 409',
  })
  unpublish(@Param('id', UuidPipe) id: string): Promise<ProgrammeResponseDto> {
    return this.programmes.unpublish(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Access.ownerOf('programme')
  async remove(@Param('id', UuidPipe) id: string): Promise<void> {
    await this.programmes.deleteDraft(id);
  }

  /** CSV in, all rows or none (API.md); `?dryRun=true` checks only. */
  @Post(':id/items/import')
  @HttpCode(200)
  @Access.ownerOf('programme')
  @ApiConsumes('text/csv')
  @ApiBody({
    schema: {
      type: 'string',
      example:
        'type,title,space,startsAt,endsAt,speakers,languages\nround_table,Tourism,Round table,2017-08-16T18:30,2017-08-16T19:30,Boris Dubrovsky,ru;kk',
    },
  })
  importItems(
    @Param('id', UuidPipe) id: string,
    @Body() body: unknown,
    @Query() query: ItemImportQueryDto,
  ): Promise<ItemImportResponseDto> {
    if (typeof body !== 'string') throw DomainError.invalid('body', 'must be a text/csv file');
    return this.imports.import(id, body, query.dryRun === 'true');
  }

  @Post(':id/items')
  @Access.ownerOf('programme')
  createItem(@Param('id', UuidPipe) id: string, @Body() dto: CreateItemDto): Promise<ItemResponseDto> {
    return this.itemWrites.create(id, dto);
  }

  /** Sent as JSON bytes kept per programme fingerprint: a busy programme day is serialized once per change. */
  @Get(':id/items')
  @Access.public()
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOkResponse({ description: '{items: Item[], nextCursor}' })
  listItems(
    @Param('id', UuidPipe) id: string,
    @Query() query: ItemListQueryDto,
    @CurrentActor() actor: Actor | null,
  ): Promise<Buffer> {
    return this.itemReads.listJson(id, query, actor);
  }
}
