import { Injectable } from '@nestjs/common';
import { Actor, DomainError } from '@pavilion/core';
import { PgSqlState, violates } from '@pavilion/database';
import { mapRun, RunResponseDto, StartRunDto } from './dto/b2b.dto';
import { stateConflict } from './meeting-rules';
import { B2bSchedulingQueue } from './meeting-queues';
import { ScheduleRun, Session } from './meeting-rows';
import { ScheduleRunsRepository } from './schedule-runs.repository';
import { SessionAccess } from './session-access';

/** A running run's heartbeat is older than this only if its worker died (the solver beats every ~250 ms). */
export const RUN_STALE_MS = 30_000;

/** Schedule runs as organizers see them: start, read, cancel, publish. The solve itself is ScheduleRunWorker's. */
@Injectable()
export class ScheduleRunsService {
  constructor(
    private readonly repository: ScheduleRunsRepository,
    private readonly access: SessionAccess,
    private readonly queue: B2bSchedulingQueue,
  ) {}

  async start(itemId: string, actor: Actor, dto: StartRunDto): Promise<{ id: string; status: string }> {
    const session = await this.access.session(itemId, actor);
    this.access.requireOwner(session, actor);
    if (session.status === 'cancelled') throw stateConflict('The session is cancelled');
    const run = await this.repository.createRun(itemId, dto.timeLimitSeconds ?? 10, RUN_STALE_MS);
    if (!run) throw stateConflict('A schedule run of this session is already queued or running');
    try {
      await this.queue.add('b2b-schedule-run', { runId: run.id }, `b2b-run-${run.id}`);
    } catch (error) {
      await this.repository.cancelRun(run.id);
      throw error;
    }
    return { id: run.id, status: run.status };
  }

  async get(runId: string, actor: Actor): Promise<RunResponseDto> {
    await this.repository.failStaleRuns(RUN_STALE_MS);
    const { run, session } = await this.owned(runId, actor);
    return mapRun(run, session);
  }

  async cancel(runId: string, actor: Actor): Promise<RunResponseDto> {
    const { run, session } = await this.owned(runId, actor);
    if (!(await this.repository.cancelRun(run.id))) throw stateConflict(`The run is ${run.status}`);
    return mapRun((await this.repository.run(run.id)) as ScheduleRun, session);
  }

  /** The run's meetings become final, re-checked by the database; both parties of each are told. */
  async publish(runId: string, actor: Actor): Promise<RunResponseDto & { published: number }> {
    const { run, session } = await this.owned(runId, actor);
    if (run.status !== 'done')
      throw stateConflict(`The run is ${run.status}; only a finished run can be published`);
    try {
      const outcome = await this.repository.publishRun(run, session);
      if ('alreadyPublished' in outcome) throw stateConflict('The run is already published');
      return {
        ...mapRun((await this.repository.run(run.id)) as ScheduleRun, session),
        published: outcome.published,
      };
    } catch (error) {
      if (
        violates(error, PgSqlState.ExclusionViolation) ||
        violates(error, PgSqlState.CheckViolation) ||
        violates(error, PgSqlState.UniqueViolation)
      )
        throw stateConflict(
          'The session changed since the run (a new commitment, booking or profile change clashes with its schedule); start a new run',
        );
      throw error;
    }
  }

  private async owned(runId: string, actor: Actor): Promise<{ run: ScheduleRun; session: Session }> {
    const run = await this.repository.run(runId);
    if (!run) throw DomainError.notFound('Schedule run');
    const session = await this.access.session(run.itemId, actor);
    this.access.requireOwner(session, actor);
    return { run, session };
  }
}
