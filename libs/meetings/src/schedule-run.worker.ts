import { Injectable, Logger } from '@nestjs/common';
import { MeetingProblem, slotsOverlapping, solveMeetingsInThread } from '@pavilion/scheduling';
import { slotCount } from './meeting-rules';
import { Session } from './meeting-rows';
import { MeetingsRepository } from './meetings.repository';
import { ParticipantsRepository } from './participants.repository';
import { RequestsRepository } from './requests.repository';
import { ScheduleRunsRepository } from './schedule-runs.repository';

const HEARTBEAT_MS = 250;

/**
 * The worker's side of a schedule run: loads a snapshot of the session, solves it in a worker thread with
 * progress, the time limit and cancellation, and stores the result. The model sees slots, not instants.
 */
@Injectable()
export class ScheduleRunWorker {
  private readonly logger = new Logger(ScheduleRunWorker.name);

  constructor(
    private readonly runs: ScheduleRunsRepository,
    private readonly participants: ParticipantsRepository,
    private readonly requests: RequestsRepository,
    private readonly meetings: MeetingsRepository,
  ) {}

  async run(runId: string): Promise<'done' | 'skipped' | 'cancelled' | 'failed'> {
    if (!(await this.runs.startRun(runId))) return 'skipped';
    const run = await this.runs.run(runId);
    const session = run && (await this.participants.session(run.itemId));
    if (!run || !session) return 'skipped';
    try {
      const problem = await this.snapshot(session);
      let progress = 0;
      const cancel = new AbortController();
      const beat = setInterval(() => {
        void this.runs.heartbeat(runId, progress).then((status) => {
          if (status === 'cancelled') cancel.abort();
        });
      }, HEARTBEAT_MS);
      try {
        const outcome = await solveMeetingsInThread(
          { problem, seed: 1 },
          {
            timeLimitMs: run.timeLimitSeconds * 1000,
            signal: cancel.signal,
            onProgress: (f) => (progress = f),
          },
        );
        if (outcome.status === 'cancelled') return 'cancelled';
        const solution = outcome.result;
        await this.runs.finishRun(runId, {
          result: { meetings: solution.meetings, unscheduled: solution.unscheduled, stats: solution.stats },
        });
        return 'done';
      } finally {
        clearInterval(beat);
      }
    } catch (error) {
      this.logger.error({ err: error, runId }, 'B2B schedule run failed');
      await this.runs.finishRun(runId, { error: (error as Error).message });
      return 'failed';
    }
  }

  /** The session as the model sees it: slots, tables, people with their blocked slots, accepted requests, fixed meetings. */
  async snapshot(session: Session): Promise<MeetingProblem> {
    const slots = slotCount(session);
    const participants = await this.participants.activeParticipants(session.id);
    const commitments = await this.meetings.commitmentsOutside(
      session.id,
      participants.map((p) => p.userId),
      session.startsAt,
      session.endsAt,
    );
    const busy = new Map<string, { start: number; end: number }[]>();
    for (const c of commitments)
      busy.set(c.userId, [
        ...(busy.get(c.userId) ?? []),
        { start: c.startsAt.getTime(), end: c.endsAt.getTime() },
      ]);
    const requests = await this.requests.acceptedWithoutMeeting(session.id);
    const fixed = await this.meetings.scheduledMeetings(session.id);
    return {
      slots,
      tables: session.tables,
      participants: participants.map((p) => ({
        id: p.id,
        languages: p.languages,
        blockedSlots: slotsOverlapping(session.startsAt.getTime(), session.meetingMinutes * 60_000, slots, [
          ...p.unavailable,
          ...(busy.get(p.userId) ?? []),
        ]),
      })),
      requests: requests.map((r) => ({ id: r.id, from: r.fromParticipantId, to: r.toParticipantId })),
      fixed: fixed.map((m) => ({
        slot: m.slotIndex,
        table: m.table,
        participants: [m.participantA, m.participantB] as [string, string],
      })),
    };
  }
}
