import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Page, PageQueryDto } from '@pavilion/core';
import {
  CreatePavilionDto,
  CreateSpaceDto,
  CreateVenueDto,
  PavilionResponseDto,
  SpaceResponseDto,
  UpdatedPavilionResponseDto,
  UpdatePavilionDto,
  UpdateSpaceDto,
  UpdateVenueDto,
  VenueResponseDto,
  VenuesService,
} from '@pavilion/venues';
import { PlacesService } from '@pavilion/programmes';
import { Access } from '../access/policy';
import { UuidPipe } from '../http/uuid.pipe';

@ApiTags('venues')
@Controller('api')
export class VenuesController {
  constructor(
    private readonly venues: VenuesService,
    private readonly places: PlacesService,
  ) {}

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

  @Patch('venues/:id')
  @Access.admin()
  updateVenue(@Param('id', UuidPipe) id: string, @Body() dto: UpdateVenueDto): Promise<VenueResponseDto> {
    return this.places.updateVenue(id, dto);
  }

  @Delete('venues/:id')
  @HttpCode(204)
  @Access.admin()
  async removeVenue(@Param('id', UuidPipe) id: string): Promise<void> {
    await this.places.removeVenue(id);
  }

  @Patch('pavilions/:id')
  @Access.admin()
  updatePavilion(
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdatePavilionDto,
  ): Promise<UpdatedPavilionResponseDto> {
    return this.places.updatePavilion(id, dto);
  }

  @Delete('pavilions/:id')
  @HttpCode(204)
  @Access.admin()
  async removePavilion(@Param('id', UuidPipe) id: string): Promise<void> {
    await this.places.removePavilion(id);
  }

  @Patch('spaces/:id')
  @Access.admin()
  updateSpace(@Param('id', UuidPipe) id: string, @Body() dto: UpdateSpaceDto): Promise<SpaceResponseDto> {
    return this.places.updateSpace(id, dto);
  }

  @Delete('spaces/:id')
  @HttpCode(204)
  @Access.admin()
  async removeSpace(@Param('id', UuidPipe) id: string): Promise<void> {
    await this.places.removeSpace(id);
  }
}
