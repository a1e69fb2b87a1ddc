import { Injectable } from '@nestjs/common';
import { Actor, actsFor, DomainError, ErrorCode } from '@pavilion/core';
import { Participant, Session } from './meeting-rows';
import { ParticipantsRepository } from './participants.repository';

/** Who may see and do what in a B2B session, in one place. */
@Injectable()
export class SessionAccess {
  constructor(private readonly repository: ParticipantsRepository) {}

  /** The session, if the item is one and the caller may know of it (drafts only to their organizers). */
  async session(itemId: string, actor: Actor | null): Promise<Session> {
    const session = await this.repository.session(itemId);
    if (!session || (session.programmeStatus !== 'published' && !actsFor(actor, session.organizationId)))
      throw DomainError.notFound('B2B session');
    return session;
  }

  /** Joining and requests: the programme is published and the session not cancelled (nor past requestsCloseAt). */
  requireOpen(session: Session, now: Date, forRequests: boolean): void {
    if (session.programmeStatus !== 'published')
      throw new DomainError(ErrorCode.StateConflict, 'The programme of this session is not published yet');
    if (session.status === 'cancelled')
      throw new DomainError(ErrorCode.StateConflict, 'The session is cancelled');
    if (forRequests && session.requestsCloseAt && now >= session.requestsCloseAt)
      throw new DomainError(ErrorCode.StateConflict, 'Requests for this session are closed');
  }

  isOwner(session: Session, actor: Actor): boolean {
    return actsFor(actor, session.organizationId);
  }

  requireOwner(session: Session, actor: Actor): void {
    if (!this.isOwner(session, actor))
      throw new DomainError(ErrorCode.Forbidden, "Only the session's organizers may do this");
  }

  async participant(session: Session, actor: Actor): Promise<Participant> {
    const me = await this.repository.participantOf(session.id, actor.userId);
    if (!me) throw new DomainError(ErrorCode.Forbidden, 'Join the session first');
    return me;
  }

  /** Profiles are for the session's participants and its organizers only. */
  async requireParticipantOrOwner(session: Session, actor: Actor): Promise<void> {
    if (this.isOwner(session, actor)) return;
    if (!(await this.repository.participantOf(session.id, actor.userId)))
      throw new DomainError(
        ErrorCode.Forbidden,
        "Only the session's participants and organizers see its profiles",
      );
  }
}
