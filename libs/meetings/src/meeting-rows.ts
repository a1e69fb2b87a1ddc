import { EntityManager } from 'typeorm';
import { Interval } from '@pavilion/scheduling';

// The meetings lib's row types and the SQL that reads them, shared by its repositories (one per concern:
// participants, requests, meetings, schedule runs). Row types are checked here, at the edge; everything beyond
// speaks camelCase.

export interface Session {
  id: string;
  programmeId: string;
  title: string;
  status: 'scheduled' | 'cancelled';
  startsAt: Date;
  endsAt: Date;
  meetingMinutes: number;
  requestsPerParticipant: number;
  requestsCloseAt: Date | null;
  tables: number;
  spaceName: string;
  organizationId: string;
  programmeStatus: 'draft' | 'published';
  timezone: string;
}

export interface Participant {
  id: string;
  itemId: string;
  userId: string;
  displayName: string;
  company: string;
  position: string | null;
  sector: string;
  offers: string[];
  seeks: string[];
  languages: string[];
  about: string | null;
  unavailable: Interval[];
  status: 'active' | 'left';
  createdAt: Date;
}

export type RequestStatus = 'pending' | 'accepted' | 'declined' | 'withdrawn';

export interface MeetingRequest {
  id: string;
  itemId: string;
  fromParticipantId: string;
  toParticipantId: string;
  fromUserId: string;
  toUserId: string;
  message: string | null;
  status: RequestStatus;
  createdAt: Date;
  answeredAt: Date | null;
  hasMeeting: boolean;
}

export interface Meeting {
  id: string;
  itemId: string;
  requestId: string;
  participantA: string;
  participantB: string;
  userA: string;
  userB: string;
  slotIndex: number;
  table: number;
  startsAt: Date;
  endsAt: Date;
  status: 'scheduled' | 'cancelled';
  attendance: 'held' | 'no_show' | null;
  version: number;
}

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface ScheduleRun {
  id: string;
  itemId: string;
  status: RunStatus;
  progress: number;
  timeLimitSeconds: number;
  result: StoredRunResult | null;
  error: string | null;
  heartbeatAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  publishedAt: Date | null;
}

export interface StoredRunResult {
  meetings: { requestId: string; slot: number; table: number }[];
  unscheduled: { requestId: string; reasons: { code: string; detail: string }[] }[];
  stats: { accepted: number; scheduled: number; upperBound: number; participantsWithNone: number };
}

/** A committed range of a person that stands in the way of a meeting. */
export interface CommitmentInTheWay {
  userId: string;
  kind: 'registration' | 'meeting';
  itemId: string;
  title: string;
  meetingId: string | null;
  startsAt: Date;
  endsAt: Date;
}

export interface ParticipantFilter {
  q?: string;
  sector?: string;
  offers?: string;
  seeks?: string;
  language?: string;
  after?: { company: string; id: string };
  limit: number;
}

export const SESSION = `
  SELECT id, programme_id AS "programmeId", title, status, starts_at AS "startsAt", ends_at AS "endsAt",
         meeting_minutes AS "meetingMinutes", requests_per_participant AS "requestsPerParticipant",
         requests_close_at AS "requestsCloseAt", coalesce(tables, 0) AS tables, space_name AS "spaceName",
         organization_id AS "organizationId", programme_status AS "programmeStatus", timezone
    FROM b2b_sessions`;

export const PARTICIPANT = `
  SELECT bp.id, bp.item_id AS "itemId", bp.user_id AS "userId", pe.display_name AS "displayName", bp.company,
         bp.position, bp.sector, bp.offers, bp.seeks, bp.languages, bp.about, bp.status, bp.created_at AS "createdAt",
         coalesce((SELECT json_agg(json_build_object('start', (extract(epoch FROM lower(r)) * 1000)::bigint,
                                                      'end', (extract(epoch FROM upper(r)) * 1000)::bigint))
                     FROM unnest(bp.unavailable) r), '[]') AS unavailable
    FROM b2b_participants bp JOIN b2b_people pe ON pe.id = bp.user_id`;

export const REQUEST = `
  SELECT q.id, q.item_id AS "itemId", q.from_participant_id AS "fromParticipantId",
         q.to_participant_id AS "toParticipantId", f.user_id AS "fromUserId", t.user_id AS "toUserId", q.message,
         q.status, q.created_at AS "createdAt", q.answered_at AS "answeredAt",
         EXISTS (SELECT 1 FROM b2b_meetings m WHERE m.request_id = q.id AND m.status = 'scheduled') AS "hasMeeting"
    FROM b2b_requests q JOIN b2b_participants f ON f.id = q.from_participant_id
    JOIN b2b_participants t ON t.id = q.to_participant_id`;

export const MEETING = `
  SELECT id, item_id AS "itemId", request_id AS "requestId", participant_a AS "participantA",
         participant_b AS "participantB", user_a AS "userA", user_b AS "userB", slot_index AS "slotIndex",
         table_number AS "table", starts_at AS "startsAt", ends_at AS "endsAt", status, attendance, version
    FROM b2b_meetings`;

export const RUN = `
  SELECT id, item_id AS "itemId", status, progress, time_limit_seconds AS "timeLimitSeconds", result, error,
         heartbeat_at AS "heartbeatAt", started_at AS "startedAt", finished_at AS "finishedAt",
         published_at AS "publishedAt"
    FROM b2b_schedule_runs`;

export const toRanges = (ranges: Interval[]) =>
  `{${ranges.map((r) => `[${new Date(r.start).toISOString()},${new Date(r.end).toISOString()})`).join(',')}}`;

export function parseParticipant(
  row: Participant & { unavailable: { start: string; end: string }[] },
): Participant {
  return {
    ...row,
    unavailable: row.unavailable.map((r) => ({ start: Number(r.start), end: Number(r.end) })),
  };
}

/** Per-person transaction locks, the same the registrations lib takes, so seat claims and meetings of one person serialize. */
export async function lockPeople(tx: EntityManager, userIds: string[]): Promise<void> {
  await tx.query(
    `SELECT pg_advisory_xact_lock(hashtextextended(u::text, 7)) FROM (SELECT unnest($1::uuid[]) AS u ORDER BY 1) s`,
    [[...new Set(userIds)].sort()],
  );
}
