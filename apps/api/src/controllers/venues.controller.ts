import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Page, PageQueryDto } from '@pavilion/core';
import {
  CreatePavilionDto,
  CreateSpaceDto,
  CreateVenueDto,
  PavilionResponseDto,
  SpaceResponseDto,
  VenueResponseDto,
  VenuesService,
} from '@pavilion/venues';
import { Access } from '../access/policy';
import { UuidPipe } from '../http/uuid.pipe';

@ApiTags('venues')
@Controller('api')
export class VenuesController {
  constructor(private readonly venues: VenuesService) {}

  @Post('venues')
  @Access.admin()
  createVenue(@Body() dto: CreateVenueDto): Promise<VenueResponseDto> {
    return this.venues.createVenue(dto);
  }

  @Get('venues')
  @Access.public()
  listVenues(@Query() query: PageQueryDto): Promise<Page<VenueResponseDto>> {
    return this.venues.listVenues(query.limit, query.cursor);
  }

  @Get('venues/:id')
  @Access.public()
  getVenue(@Param('id', UuidPipe) id: string): Promise<VenueResponseDto> {
    return this.venues.getVenue(id);
  }

  @Post('venues/:id/pavilions')
  @Access.admin()
  createPavilion(
    @Param('id', UuidPipe) id: string,
    @Body() dto: CreatePavilionDto,
  ): Promise<PavilionResponseDto> {
    return this.venues.createPavilion(id, dto);
  }

  @Get('pavilions/:id')
  @Access.public()
  getPavilion(@Param('id', UuidPipe) id: string): Promise<PavilionResponseDto> {
    return this.venues.getPavilion(id);
  }

  @Post('pavilions/:id/spaces')
  @Access.admin()
  createSpace(@Param('id', UuidPipe) id: string, @Body() dto: CreateSpaceDto): Promise<SpaceResponseDto> {
    return this.venues.createSpace(id, dto);
  }

  @Get('pavilions/:id/spaces')
  @Access.public()
  async listSpaces(@Param('id', UuidPipe) id: string): Promise<Page<SpaceResponseDto>> {
    return { items: await this.venues.listSpaces(id), nextCursor: null };
  }
}
