import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import { Actor, DomainError, ErrorCode, formatVenueInstant, parseVenueInstant } from '@pavilion/core';
import { PgSqlState, violates } from '@pavilion/database';
import type { AgendaEvent } from '@pavilion/registrations';
import {
  AttendanceDto,
  BookMeetingDto,
  mapMeeting,
  MeetingResponseDto,
  SessionCountsDto,
} from './dto/b2b.dto';
import { safeCsvCell } from '@pavilion/core';
import { slotIndexOf, stateConflict } from './meeting-rules';
import { Meeting, Participant, Session } from './meeting-rows';
import { MeetingsRepository } from './meetings.repository';
import { RequestsRepository } from './requests.repository';
import { SessionAccess } from './session-access';

/** Final meetings: the caller's list, cancellation, direct booking, and the organizers' CSV, check-in and counts. */
@Injectable()
export class MeetingsService {
  constructor(
    private readonly repository: MeetingsRepository,
    private readonly requests: RequestsRepository,
    private readonly access: SessionAccess,
  ) {}

  async mine(actor: Actor): Promise<{ items: MeetingResponseDto[] }> {
    const meetings = await this.repository.meetingsOfUser(actor.userId);
    const parties = await this.repository.parties(meetings.map((m) => m.id));
    return {
      items: meetings.map((m) => {
        const { a, b } = parties.get(m.id) as { a: Participant; b: Participant };
        return mapMeeting(m, m.timezone, m.userA === actor.userId ? b : a);
      }),
    };
  }

  /** The person's meetings as agenda events (table number in the title and place), for the personal ICS feed. */
  async agendaEvents(userId: string, ownOffsets: number[] | undefined): Promise<AgendaEvent[]> {
    const meetings = await this.repository.meetingsOfUser(userId);
    const parties = await this.repository.parties(meetings.map((m) => m.id));
    return meetings.map((m) => {
      const { a, b } = parties.get(m.id) as { a: Participant; b: Participant };
      const other = m.userA === userId ? b : a;
      return {
        uid: `${m.id}@pavilion-b2b`,
        sequence: m.version,
        start: m.startsAt,
        end: m.endsAt,
        stamp: m.updatedAt,
        summary: `B2B meeting, table ${m.table}: ${other.company} (${other.displayName})`,
        description: `${m.sessionTitle}\nTable ${m.table}\n${other.company}, ${other.displayName}`,
        location: `Table ${m.table}, ${m.spaceName}`,
        cancelled: m.status === 'cancelled',
        alarmsBeforeMinutes: ownOffsets ?? m.reminderOffsetsMinutes,
      };
    });
  }

  /** Either party or the session's organizers cancel; the place frees and the other party (or both) is told. */
  async cancel(meetingId: string, actor: Actor): Promise<MeetingResponseDto> {
    const meeting = await this.repository.meeting(meetingId);
    if (!meeting) throw DomainError.notFound('Meeting');
    const session = await this.access.session(meeting.itemId, actor);
    const party = meeting.userA === actor.userId || meeting.userB === actor.userId;
    if (!party && !this.access.isOwner(session, actor))
      throw new DomainError(
        ErrorCode.Forbidden,
        "Only the meeting's two parties and the session's organizers may cancel it",
      );
    const notify = [meeting.userA, meeting.userB].filter((u) => u !== actor.userId);
    const cancelled = await this.repository.cancelMeeting(meeting, actor.userId, notify);
    if (!cancelled) throw stateConflict('The meeting is already cancelled');
    return mapMeeting(cancelled, session.timezone);
  }

  /**
   * Books a free table place at a slot for an accepted request without a meeting. Two bookings racing for the
   * last place: exactly one wins, the other gets a 409 naming what is taken.
   */
  async book(itemId: string, actor: Actor, dto: BookMeetingDto): Promise<MeetingResponseDto> {
    const session = await this.access.session(itemId, actor);
    const me = await this.access.participant(session, actor);
    this.access.requireOpen(session, new Date(), false);
    const slot = slotIndexOf(
      session,
      parseVenueInstant(dto.slotStartsAt, session.timezone, 'slotStartsAt'),
      'slotStartsAt',
    );
    const request = await this.requests.request(dto.requestId);
    if (!request || request.itemId !== itemId) throw DomainError.notFound('Request');
    if (request.fromParticipantId !== me.id && request.toParticipantId !== me.id)
      throw new DomainError(ErrorCode.Forbidden, 'Only the two parties of a request may book its meeting');
    if (request.status !== 'accepted') throw stateConflict(`The request is ${request.status}, not accepted`);
    if (request.hasMeeting) throw stateConflict('The request already has a scheduled meeting');
    try {
      const outcome = await this.repository.book(session, request, slot);
      if ('meeting' in outcome) {
        const parties = await this.repository.parties([outcome.meeting.id]);
        const { a, b } = parties.get(outcome.meeting.id) as { a: Participant; b: Participant };
        return mapMeeting(outcome.meeting, session.timezone, a.userId === actor.userId ? b : a);
      }
      if ('noTable' in outcome) throw this.slotTaken(session, slot, 'every table is taken in this slot');
      throw DomainError.conflicting(
        'One of you is committed elsewhere at that time',
        outcome.busy.map((c) => ({
          itemId: c.itemId,
          ...(c.meetingId && { meetingId: c.meetingId }),
          title: c.title,
          startsAt: formatVenueInstant(c.startsAt, session.timezone),
          endsAt: formatVenueInstant(c.endsAt, session.timezone),
          reason: c.kind === 'meeting' ? 'meeting' : 'confirmed for this item',
        })),
      );
    } catch (error) {
      // The constraints settle what the locks did not (another path wrote first).
      if (violates(error, PgSqlState.UniqueViolation, 'b2b_meetings_one_per_request'))
        throw stateConflict('The request already has a scheduled meeting');
      if (violates(error, PgSqlState.ExclusionViolation) || violates(error, PgSqlState.CheckViolation))
        throw this.slotTaken(session, slot, 'the place or one of you is taken at that time');
      throw error;
    }
  }

  async setAttendance(meetingId: string, actor: Actor, dto: AttendanceDto): Promise<MeetingResponseDto> {
    const meeting = await this.repository.meeting(meetingId);
    if (!meeting) throw DomainError.notFound('Meeting');
    const session = await this.access.session(meeting.itemId, actor);
    this.access.requireOwner(session, actor);
    const updated = await this.repository.setAttendance(meetingId, dto.status);
    if (!updated) throw stateConflict('The meeting is cancelled');
    return mapMeeting(updated, session.timezone);
  }

  async counts(itemId: string, actor: Actor): Promise<SessionCountsDto> {
    const session = await this.access.session(itemId, actor);
    this.access.requireOwner(session, actor);
    return this.repository.counts(itemId);
  }

  /** The schedule as CSV: slot, table, both parties and their companies; cells neutralised against formulas. */
  async scheduleCsv(itemId: string, actor: Actor): Promise<Readable> {
    const session = await this.access.session(itemId, actor);
    this.access.requireOwner(session, actor);
    const meetings = await this.repository.scheduledMeetings(itemId);
    const parties = await this.repository.parties(meetings.map((m) => m.id));
    const at = (d: Date) => formatVenueInstant(d, session.timezone);
    const rows = meetings.map((m: Meeting) => {
      const { a, b } = parties.get(m.id) as { a: Participant; b: Participant };
      return [
        at(m.startsAt),
        at(m.endsAt),
        m.table,
        a.displayName,
        a.company,
        b.displayName,
        b.company,
        m.attendance ?? '',
        m.id,
      ].map(safeCsvCell);
    });
    return Readable.from(rows).pipe(
      stringify({
        header: true,
        columns: [
          'slotStartsAt',
          'slotEndsAt',
          'table',
          'partyA',
          'companyA',
          'partyB',
          'companyB',
          'attendance',
          'meetingId',
        ],
      }),
    );
  }

  private slotTaken(session: Session, slot: number, why: string): DomainError {
    const startsAt = new Date(session.startsAt.getTime() + slot * session.meetingMinutes * 60_000);
    const endsAt = new Date(startsAt.getTime() + session.meetingMinutes * 60_000);
    return DomainError.conflicting(`That slot cannot be booked: ${why}`, [
      {
        itemId: session.id,
        title: session.title,
        startsAt: formatVenueInstant(startsAt, session.timezone),
        endsAt: formatVenueInstant(endsAt, session.timezone),
        reason: why,
      },
    ]);
  }
}
