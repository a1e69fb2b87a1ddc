import { Injectable } from '@nestjs/common';
import { decodeKeyset, definedOnly, DomainError, Page, toPage } from '@pavilion/core';
import { futureItemsOfSpeaker, itemsInTheWay } from './places/place-usage';
import {
  CreateSpeakerDto,
  mapSpeaker,
  SpeakerListQueryDto,
  SpeakerResponseDto,
  UpdateSpeakerDto,
} from './dto/speaker.dto';
import { DisplacementRepository } from './displacement/displacement.repository';
import { SpeakersRepository } from './speakers.repository';

/** Speakers are shared across programmes: a governor may speak at two regions' days. */
@Injectable()
export class SpeakersService {
  constructor(
    private readonly repository: SpeakersRepository,
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

  /** Edits name, affiliation, email and (when given) availability. */
  async update(id: string, dto: UpdateSpeakerDto): Promise<SpeakerResponseDto> {
    const { availability, ...fields } = dto;
    const saved = await this.repository.updateSpeaker(id, definedOnly(fields));
    if (!saved) throw DomainError.notFound('Speaker');
    return 'availability' in dto ? this.updateAvailability(id, { availability }) : mapSpeaker(saved);
  }

  /** 409 while the speaker has items to come; otherwise deleted, or archived if past items name them. */
  async remove(id: string): Promise<void> {
    const removed = await this.repository.removeSpeaker(id, async (tx) => {
      const rows = await futureItemsOfSpeaker(tx, id);
      if (rows.length)
        throw itemsInTheWay(
          'The speaker still has items to come; take them off those items first',
          rows,
          'the speaker speaks here',
        );
    });
    if (!removed) throw DomainError.notFound('Speaker');
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
