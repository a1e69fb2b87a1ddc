import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '@pavilion/core';
import { Access } from '../access/policy';
import { notModified } from '../http/conditional';

const TYPES: Record<string, string> = {
  'site.css': 'text/css; charset=utf-8',
  'site.js': 'text/javascript; charset=utf-8',
};

/** The site's own stylesheet and small script, read once and served from memory (no outside hosts). */
@ApiExcludeController()
@Controller('assets')
export class AssetsController {
  private readonly files = new Map(
    Object.keys(TYPES).map((name) => {
      const body = readFileSync(join(__dirname, 'assets', name));
      return [name, { body, digest: createHash('sha256').update(body).digest('hex') }];
    }),
  );

  @Get(':name')
  @Access.public()
  asset(@Param('name') name: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const file = this.files.get(name);
    if (!file) throw DomainError.notFound('Asset');
    if (notModified(req, reply, [file.digest], 'public, max-age=3600')) return;
    reply.type(TYPES[name]).send(file.body);
  }
}
