import { Injectable } from '@nestjs/common';
import { decodeKeyset, Page, toPage } from '@pavilion/core';
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
    const rows = await this.repository.listSpeakers(
      query.limit + 1,
      query.q,
      decodeKeyset(query.cursor, 'name'),
    );
    return toPage(rows, query.limit, (s) => [s.name, s.id], mapSpeaker);
  }
}
