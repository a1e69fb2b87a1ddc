import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Page } from '@pavilion/core';
import {
  CreateSpeakerDto,
  SpeakerListQueryDto,
  SpeakerResponseDto,
  SpeakersService,
} from '@pavilion/programmes';
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

  @Get()
  @Access.organizer()
  list(@Query() query: SpeakerListQueryDto): Promise<Page<SpeakerResponseDto>> {
    return this.speakers.list(query);
  }
}
