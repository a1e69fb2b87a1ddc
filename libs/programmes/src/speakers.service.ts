import { Injectable } from '@nestjs/common';
import { decodeCursor, Page, toPage } from '@pavilion/core';
import { CreateSpeakerDto, mapSpeaker, SpeakerListQueryDto, SpeakerResponseDto } from './dto/speaker.dto';
import { ProgrammesRepository } from './programmes.repository';

/** Speakers are shared across programmes: a governor may speak at two regions' days. */
@Injectable()
export class SpeakersService {
  constructor(private readonly repository: ProgrammesRepository) {}

  async create(dto: CreateSpeakerDto): Promise<SpeakerResponseDto> {
    return mapSpeaker(
      await this.repository.createSpeaker({
        name: dto.name,
        affiliation: dto.affiliation ?? null,
        email: dto.email ?? null,
      }),
    );
  }

  async list(query: SpeakerListQueryDto): Promise<Page<SpeakerResponseDto>> {
    const after = query.cursor ? decodeCursor(query.cursor, 2) : undefined;
    const rows = await this.repository.listSpeakers(
      query.limit + 1,
      query.q,
      after ? { name: String(after[0]), id: String(after[1]) } : undefined,
    );
    return toPage(rows, query.limit, (s) => [s.name, s.id], mapSpeaker);
  }
}
