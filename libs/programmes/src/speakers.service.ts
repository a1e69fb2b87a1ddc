import { Injectable } from '@nestjs/common';
import { decodeKeyset, DomainError, Page, toPage } from '@pavilion/core';
import {
  CreateSpeakerDto,
  mapSpeaker,
  SpeakerListQueryDto,
  SpeakerResponseDto,
  UpdateSpeakerDto,
} from './dto/speaker.dto';
import { DisplacementRepository } from './displacement/displacement.repository';
import { ProgrammesRepository } from './programmes.repository';

/** Speakers are shared across programmes: a governor may speak at two regions' days. */
@Injectable()
export class SpeakersService {
  constructor(
    private readonly repository: ProgrammesRepository,
    private readonly displacement: DisplacementRepository,
  ) {}

  async create(dto: CreateSpeakerDto): Promise<SpeakerResponseDto> {
    return mapSpeaker(
      await this.repository.createSpeaker({
        name: dto.name,
        affiliation: dto.affiliation ?? null,
        email: dto.email ?? null,
        availability: null,
      }),
    );
  }

  /**
   * Replaces the speaker's availability (ISO instants; null or absent: always available). Their placed items
   * that no longer fit read displaced (the organizers are told); those that fit again no longer do.
   */
  async updateAvailability(id: string, dto: UpdateSpeakerDto): Promise<SpeakerResponseDto> {
    const ranges = dto.availability?.map((r, i) => {
      const from = new Date(r.from);
      const to = new Date(r.to);
      if (!(to.getTime() > from.getTime()))
        throw DomainError.invalid(`availability[${i}].to`, 'must be later than from');
      return { from: from.toISOString(), to: to.toISOString() };
    });
    const saved = await this.displacement.setSpeakerAvailability(id, ranges ?? null);
    if (!saved) throw DomainError.notFound('Speaker');
    return mapSpeaker(saved);
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
