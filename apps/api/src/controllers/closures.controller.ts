import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Page } from '@pavilion/core';
import {
  ClosureResponseDto,
  ClosuresService,
  CreateClosureDto,
  CreatedClosureResponseDto,
} from '@pavilion/programmes';
import { Access } from '../access/policy';
import { UuidPipe } from '../http/uuid.pipe';

@ApiTags('venues')
@Controller('api')
export class ClosuresController {
  constructor(private readonly closures: ClosuresService) {}

  @Post('spaces/:id/closures')
  @Access.admin()
  create(
    @Param('id', UuidPipe) id: string,
    @Body() dto: CreateClosureDto,
  ): Promise<CreatedClosureResponseDto> {
    return this.closures.create(id, dto);
  }

  @Get('spaces/:id/closures')
  @Access.admin()
  async list(@Param('id', UuidPipe) id: string): Promise<Page<ClosureResponseDto>> {
    return { items: await this.closures.list(id), nextCursor: null };
  }

  @Delete('closures/:id')
  @HttpCode(204)
  @Access.admin()
  async delete(@Param('id', UuidPipe) id: string): Promise<void> {
    await this.closures.delete(id);
  }
}
