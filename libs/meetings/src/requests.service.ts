import { Injectable } from '@nestjs/common';
import { Actor, DomainError, ErrorCode } from '@pavilion/core';
import { PgSqlState, violates } from '@pavilion/database';
import { mapRequest, RequestResponseDto, SendRequestDto } from './dto/b2b.dto';
import { stateConflict } from './meeting-rules';
import { MeetingRequest, RequestStatus } from './meeting-rows';
import { ParticipantsRepository } from './participants.repository';
import { RequestsRepository } from './requests.repository';
import { SessionAccess } from './session-access';

/** Meeting requests between participants: send, answer, withdraw, list. Every change tells the other party. */
@Injectable()
export class RequestsService {
  constructor(
    private readonly repository: RequestsRepository,
    private readonly participants: ParticipantsRepository,
    private readonly access: SessionAccess,
  ) {}

  async send(itemId: string, actor: Actor, dto: SendRequestDto): Promise<RequestResponseDto> {
    const session = await this.access.session(itemId, actor);
    const me = await this.access.participant(session, actor);
    this.access.requireOpen(session, new Date(), true);
    if (dto.toParticipantId === me.id) throw stateConflict('You cannot request a meeting with yourself');
    const to = await this.participants.participant(dto.toParticipantId);
    if (!to || to.itemId !== itemId || to.status !== 'active') throw DomainError.notFound('Participant');
    try {
      const outcome = await this.repository.createRequest(
        me,
        to,
        dto.message ?? null,
        session.requestsPerParticipant,
      );
      if ('overLimit' in outcome)
        throw stateConflict(
          `You have ${outcome.overLimit} live requests, the session's limit (requestsPerParticipant ${session.requestsPerParticipant}); withdraw one first`,
        );
      return mapRequest(outcome.request, session.timezone, actor.userId);
    } catch (error) {
      if (violates(error, PgSqlState.UniqueViolation, 'b2b_requests_one_live_per_pair'))
        throw new DomainError(
          ErrorCode.Duplicate,
          'There is already a pending or accepted request between you two',
        );
      throw error;
    }
  }

  accept(requestId: string, actor: Actor): Promise<RequestResponseDto> {
    return this.answer(requestId, actor, 'accepted');
  }

  decline(requestId: string, actor: Actor): Promise<RequestResponseDto> {
    return this.answer(requestId, actor, 'declined');
  }

  /** The sender takes back a request while pending, or accepted without a meeting. */
  async withdraw(requestId: string, actor: Actor): Promise<RequestResponseDto> {
    const request = await this.visible(requestId, actor);
    if (request.fromUserId !== actor.userId)
      throw new DomainError(ErrorCode.Forbidden, 'Only the sender may withdraw a request');
    const session = await this.access.session(request.itemId, actor);
    const changed = await this.repository.answerRequest(request, ['pending', 'accepted'], 'withdrawn', {
      userId: request.toUserId,
    });
    if (!changed)
      throw stateConflict(
        request.hasMeeting
          ? 'The request has a scheduled meeting; cancel the meeting first'
          : `The request is ${request.status}`,
      );
    return mapRequest(changed, session.timezone, actor.userId);
  }

  async mine(actor: Actor): Promise<{ items: (RequestResponseDto & { sessionTitle: string })[] }> {
    const rows = await this.repository.requestsOfUser(actor.userId);
    return {
      items: rows.map((r) => ({ ...mapRequest(r, r.timezone, actor.userId), sessionTitle: r.sessionTitle })),
    };
  }

  /** Only the requested participant answers, and only a pending request. */
  private async answer(requestId: string, actor: Actor, to: RequestStatus): Promise<RequestResponseDto> {
    const request = await this.visible(requestId, actor);
    if (request.toUserId !== actor.userId)
      throw new DomainError(ErrorCode.Forbidden, 'Only the requested participant may answer this request');
    const session = await this.access.session(request.itemId, actor);
    const changed = await this.repository.answerRequest(request, ['pending'], to, {
      userId: request.fromUserId,
    });
    if (!changed) throw stateConflict(`The request is ${request.status}, not pending`);
    return mapRequest(changed, session.timezone, actor.userId);
  }

  /** A request the caller is a party to; anyone else learns nothing of it (404). */
  private async visible(requestId: string, actor: Actor): Promise<MeetingRequest> {
    const request = await this.repository.request(requestId);
    if (!request) throw DomainError.notFound('Request');
    if (request.fromUserId !== actor.userId && request.toUserId !== actor.userId) {
      const session = await this.participants.session(request.itemId);
      // The session's other participants may know the request exists, but cannot act on it.
      if (session && (await this.participants.participantOf(session.id, actor.userId)))
        throw new DomainError(ErrorCode.Forbidden, 'Only the requested participant may answer this request');
      throw DomainError.notFound('Request');
    }
    return request;
  }
}
