import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Page } from '@pavilion/core';
import {
  CreateSpeakerDto,
  SpeakerListQueryDto,
  SpeakerResponseDto,
  SpeakersService,
  UpdateSpeakerDto,
} from '@pavilion/programmes';
import { UuidPipe } from '../http/uuid.pipe';
import { Access } from '../access/policy';

@ApiTags('programmes')
@Controller('api/speakers')
export class SpeakersController {
  constructor(private readonly speakers: SpeakersService) {}

  @Post()
  @Access.organizer()
  create(@Body() dto: CreateSpeakerDto): Promise<SpeakerResponseDto> {
    return this.speakers.create(dto);
  }

  @Patch(':id')
  @Access.organizer()
  update(@Param('id', UuidPipe) id: string, @Body() dto: UpdateSpeakerDto): Promise<SpeakerResponseDto> {
    return this.speakers.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Access.organizer()
  async remove(@Param('id', UuidPipe) id: string): Promise<void> {
    await this.speakers.remove(id);
  }

  @Get()
  @Access.organizer()
  list(@Query() query: SpeakerListQueryDto): Promise<Page<SpeakerResponseDto>> {
    return this.speakers.list(query);
  }
}
