import { Injectable } from '@nestjs/common';
import {
  Actor,
  decodeKeyset,
  DomainError,
  ErrorCode,
  formatVenueInstant,
  Page,
  parseVenueInstant,
  TimeRangeDto,
  toPage,
} from '@pavilion/core';
import { PgSqlState, violates } from '@pavilion/database';
import {
  CatalogueQueryDto,
  JoinSessionDto,
  mapParticipant,
  ParticipantResponseDto,
  SuggestionDto,
  UpdateParticipantDto,
} from './dto/b2b.dto';
import { rankSuggestions } from './matchmaking';
import { normalizeRanges } from './meeting-rules';
import { Participant, Session } from './meeting-rows';
import { ParticipantsRepository } from './participants.repository';
import { SessionAccess } from './session-access';

/** Joining, editing and leaving a session; the catalogue and suggestions. */
@Injectable()
export class ParticipantsService {
  constructor(
    private readonly repository: ParticipantsRepository,
    private readonly access: SessionAccess,
  ) {}

  async join(itemId: string, actor: Actor, dto: JoinSessionDto): Promise<ParticipantResponseDto> {
    const session = await this.access.session(itemId, actor);
    this.access.requireOpen(session, new Date(), false);
    try {
      const participant = await this.repository.insertParticipant({
        itemId,
        userId: actor.userId,
        company: dto.company,
        position: dto.position ?? null,
        sector: dto.sector,
        offers: dto.offers,
        seeks: dto.seeks,
        languages: dto.languages,
        about: dto.about ?? null,
        unavailable: ranges(dto.unavailable ?? [], session),
      });
      return mapParticipant(participant, session.timezone);
    } catch (error) {
      if (violates(error, PgSqlState.UniqueViolation, 'b2b_participants_one_per_person'))
        throw new DomainError(ErrorCode.Duplicate, 'You are already a participant of this session');
      throw error;
    }
  }

  async update(
    participantId: string,
    actor: Actor,
    dto: UpdateParticipantDto,
  ): Promise<ParticipantResponseDto> {
    const { participant, session } = await this.own(participantId, actor);
    const { clashes } = await this.repository.updateParticipant(participant.id, {
      ...dto,
      unavailable: dto.unavailable ? ranges(dto.unavailable, session) : undefined,
    });
    if (clashes.length > 0)
      throw DomainError.conflicting(
        'The change would break scheduled meetings (unavailable then, or no shared language left); cancel them first',
        clashes.map((m) => ({
          meetingId: m.id,
          itemId: m.itemId,
          title: session.title,
          startsAt: formatVenueInstant(m.startsAt, session.timezone),
          endsAt: formatVenueInstant(m.endsAt, session.timezone),
          reason: 'meeting',
        })),
      );
    return mapParticipant(
      (await this.repository.participant(participant.id)) as Participant,
      session.timezone,
    );
  }

  /** Leaves the session: meetings are cancelled and the counterparts told; live requests are withdrawn. */
  async leave(participantId: string, actor: Actor): Promise<void> {
    const { participant } = await this.own(participantId, actor);
    await this.repository.leave(participant);
  }

  /** Erasure (DELETE /api/me): the person leaves every session and their profiles and messages are anonymised. */
  eraseAllOf(userId: string): Promise<number> {
    return this.repository.eraseOf(userId);
  }

  async catalogue(
    itemId: string,
    actor: Actor,
    query: CatalogueQueryDto,
  ): Promise<Page<ParticipantResponseDto>> {
    const session = await this.access.session(itemId, actor);
    await this.access.requireParticipantOrOwner(session, actor);
    const rows = await this.repository.listParticipants(itemId, {
      q: query.q,
      sector: query.sector,
      offers: query.offers,
      seeks: query.seeks,
      language: query.language,
      after: decodeKeyset(query.cursor, 'company'),
      limit: query.limit + 1,
    });
    return toPage(
      rows,
      query.limit,
      (p) => [p.company, p.id],
      (p) => mapParticipant(p, session.timezone),
    );
  }

  async suggestions(itemId: string, actor: Actor): Promise<{ items: SuggestionDto[] }> {
    const session = await this.access.session(itemId, actor);
    const me = await this.access.participant(session, actor);
    const ranked = rankSuggestions(me, await this.repository.activeParticipants(itemId));
    return {
      items: ranked.map((s) => ({
        participant: mapParticipant(s.participant, session.timezone),
        score: s.score,
        because: s.because,
      })),
    };
  }

  /** The caller's own live participation, or 403/404. */
  private async own(
    participantId: string,
    actor: Actor,
  ): Promise<{ participant: Participant; session: Session }> {
    const participant = await this.repository.participant(participantId);
    if (!participant || participant.status !== 'active') throw DomainError.notFound('Participant');
    if (participant.userId !== actor.userId)
      throw new DomainError(
        ErrorCode.Forbidden,
        'Only the participant may change or leave their participation',
      );
    return { participant, session: await this.access.session(participant.itemId, actor) };
  }
}

function ranges(dtos: TimeRangeDto[], session: Session) {
  return normalizeRanges(
    dtos.map((r, i) => ({
      start: parseVenueInstant(r.from, session.timezone, `unavailable[${i}].from`).getTime(),
      end: parseVenueInstant(r.to, session.timezone, `unavailable[${i}].to`).getTime(),
    })),
    'unavailable',
  );
}
