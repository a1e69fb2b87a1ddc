import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@pavilion/config';
import { Conflict, DomainError, ErrorCode, formatVenueInstant, venueDayRange } from '@pavilion/core';
import { PgSqlState, violates } from '@pavilion/database';
import {
  Placement,
  PROGRAMME_SOLVER,
  ProgrammeProblem,
  ProgrammeSolution,
  solveInThread,
} from '@pavilion/scheduling';
import { VenuesService } from '@pavilion/venues';
import {
  ApplyResultDto,
  CreateSchedulingRunDto,
  RunPlacementDto,
  SchedulingRunResponseDto,
} from '../dto/scheduling.dto';
import { toConflict } from '../conflicts';
import { Programme } from '../programme.entities';
import { ProgrammesService } from '../programmes.service';
import { ItemWritesRepository } from '../items/item-writes.repository';
import { SpeakersRepository } from '../speakers.repository';
import { SCHEDULING_QUEUE, SchedulingJobName, SchedulingJobs, schedulingJobIds } from './scheduling.queue';
import { PlacementWrite, SchedulingRunRow, SchedulingRunsRepository } from './scheduling-runs.repository';
import { fromMinute, problemItem, programmeCalendar, STEP_MINUTES, toMinute } from './snapshot';

/** What a run was given: the problem, and what it saw of each item so that `apply` can tell if it changed. */
interface RunSnapshot {
  timezone: string;
  published: boolean;
  problem: ProgrammeProblem;
  seen: Record<string, PlacementWrite['seen']>;
}

type RunOptions = SchedulingRunResponseDto['options'];

/** Cancellation is noticed within this long (the worker reads the run's status on each heartbeat). */
const HEARTBEAT_MS = 100;

/**
 * Scheduling runs: the API snapshots a programme and queues a run; a worker solves it in a thread and stores
 * the proposal; the organizer applies it (all or some placements) in one transaction.
 */
@Injectable()
export class SchedulingRunsService {
  constructor(
    private readonly runs: SchedulingRunsRepository,
    private readonly items: ItemWritesRepository,
    private readonly speakers: SpeakersRepository,
    private readonly programmes: ProgrammesService,
    private readonly venues: VenuesService,
    private readonly config: AppConfig,
    @InjectQueue(SCHEDULING_QUEUE) private readonly queue: Queue,
  ) {}

  async create(programmeId: string, dto: CreateSchedulingRunDto): Promise<{ id: string; status: 'queued' }> {
    const programme = await this.programmes.requireProgramme(programmeId);
    const options: RunOptions = {
      timeLimitSeconds: dto.timeLimitSeconds ?? 10,
      scope: dto.scope ?? 'unplaced',
      keepPublished: dto.keepPublished ?? true,
    };
    const snapshot = await this.snapshot(programme, options);
    const run = await this.runs.insertRun(programmeId, options, snapshot);
    if (!run) {
      throw new DomainError(
        ErrorCode.StateConflict,
        'A scheduling run of this programme is already queued or running',
      );
    }
    await this.enqueue('solve', { runId: run.id }, schedulingJobIds.solve(run.id));
    return { id: run.id, status: 'queued' };
  }

  async get(runId: string): Promise<SchedulingRunResponseDto> {
    return this.view(await this.requireRun(runId));
  }

  /** The programme a run belongs to, for the API's ownership check. */
  async programmeOf(runId: string): Promise<Programme> {
    return this.programmes.requireProgramme((await this.requireRun(runId)).programme_id);
  }

  async cancel(runId: string): Promise<SchedulingRunResponseDto> {
    const cancelled = await this.runs.cancel(runId);
    if (cancelled) return this.view(cancelled);
    const run = await this.requireRun(runId);
    if (run.status === 'cancelled') return this.view(run);
    throw new DomainError(ErrorCode.StateConflict, `The run has already ended (${run.status})`);
  }

  async apply(runId: string, itemIds?: string[]): Promise<ApplyResultDto> {
    const run = await this.requireRun(runId);
    if (run.status !== 'done')
      throw new DomainError(ErrorCode.StateConflict, `The run is ${run.status}, not done`);
    const snapshot = run.snapshot as RunSnapshot;
    const solution = run.result as ProgrammeSolution;
    const wanted = itemIds ? new Set(itemIds) : null;
    const chosen = solution.placements.filter((p) => !wanted || wanted.has(p.itemId));
    if (wanted) {
      const known = new Set(solution.placements.map((p) => p.itemId));
      const unknown = [...wanted].filter((id) => !known.has(id));
      if (unknown.length)
        throw DomainError.invalid('itemIds', `are not placements of this run: ${unknown.join(', ')}`);
    }
    const writes: PlacementWrite[] = chosen.map((p) => ({
      itemId: p.itemId,
      spaceId: p.spaceId,
      startsAt: fromMinute(p.start),
      endsAt: fromMinute(p.end),
      seen: snapshot.seen[p.itemId],
    }));
    let outcome: Awaited<ReturnType<SchedulingRunsRepository['apply']>>;
    try {
      outcome = await this.runs.apply(runId, writes, snapshot.published);
    } catch (error) {
      // An exclusion constraint refused the plan: something new stands where it would go.
      if ((error as { code?: string }).code === '23P01')
        throw await this.overlapConflicts(writes, snapshot.timezone);
      if (violates(error, PgSqlState.CheckViolation, 'programme_items_within_opening_hours'))
        throw new DomainError(
          ErrorCode.StateConflict,
          "Cannot apply: the pavilion's opening hours changed since the run; run the scheduler again",
        );
      throw error;
    }
    if ('notDone' in outcome)
      throw new DomainError(ErrorCode.StateConflict, `Cannot apply: ${outcome.notDone}`);
    if ('changed' in outcome) {
      const zone = snapshot.timezone;
      throw new DomainError(
        ErrorCode.StateConflict,
        'The programme changed since the run; nothing was applied',
        {
          conflicts: outcome.changed.map((i) => ({
            itemId: i.id,
            title: i.title,
            startsAt: i.startsAt ? formatVenueInstant(i.startsAt, zone) : '',
            endsAt: i.endsAt ? formatVenueInstant(i.endsAt, zone) : '',
            reason: 'changed since the run',
          })),
        },
      );
    }
    return outcome;
  }

  private async overlapConflicts(writes: PlacementWrite[], zone: string): Promise<DomainError> {
    const conflicts: Conflict[] = [];
    const moving = new Set(writes.map((w) => w.itemId));
    for (const w of writes) {
      const speakers = (await this.speakers.speakersOf([w.itemId])).get(w.itemId) ?? [];
      const rows = await this.items.findConflicts({
        spaceId: w.spaceId,
        speakerIds: speakers.map((s) => s.id),
        startsAt: w.startsAt,
        endsAt: w.endsAt,
        exceptItemId: w.itemId,
      });
      for (const r of rows) {
        if (moving.has(r.item_id) || conflicts.some((c) => (c.itemId ?? c.closureId) === r.item_id)) continue;
        conflicts.push(toConflict(r, zone));
      }
    }
    return new DomainError(
      ErrorCode.StateConflict,
      'The programme changed since the run; nothing was applied',
      {
        conflicts,
      },
    );
  }

  // The worker's side

  /**
   * Solves a queued run in a worker thread, renewing its lease and watching for cancellation; stores the
   * proposal, or the failure. A run already taken, cancelled or ended is left alone.
   */
  async execute(runId: string, reportProgress: (fraction: number) => unknown): Promise<void> {
    const leaseMs = this.config.schedulingLeaseMs;
    const run = await this.runs.claim(runId, leaseMs);
    if (!run) return;
    const snapshot = run.snapshot as RunSnapshot;
    const options = run.options as RunOptions;
    const abort = new AbortController();
    let progress = 0;
    let beating = false;
    const heartbeat = setInterval(() => {
      if (beating) return;
      beating = true;
      this.runs
        .heartbeat(runId, progress, leaseMs)
        .then((status) => status === 'cancelled' && abort.abort())
        .catch(() => undefined)
        .finally(() => (beating = false));
    }, HEARTBEAT_MS);
    try {
      const outcome = await solveInThread<ProgrammeProblem, ProgrammeSolution>(
        PROGRAMME_SOLVER,
        snapshot.problem,
        {
          timeLimitMs: options.timeLimitSeconds * 1000,
          signal: abort.signal,
          onProgress: (fraction) => {
            progress = fraction;
            Promise.resolve(reportProgress(fraction)).catch(() => undefined);
          },
        },
      );
      if (outcome.status === 'done') await this.runs.finish(runId, 'done', outcome.result, null);
    } catch (error) {
      await this.runs.finish(runId, 'failed', null, error instanceof Error ? error.message : String(error));
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Ends runs whose worker died (lease lapsed) as failed; queues again runs whose job went missing. */
  async sweep(): Promise<{ failed: string[]; requeued: string[] }> {
    const failed = await this.runs.failLapsed();
    const requeued = await this.runs.staleQueued(Math.max(60_000, this.config.schedulingLeaseMs * 2));
    for (const runId of requeued) await this.enqueue('solve', { runId }, schedulingJobIds.solve(runId));
    return { failed, requeued };
  }

  /** The sweep runs every lease period on some worker (a BullMQ job scheduler, one for all replicas). */
  async scheduleSweep(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'scheduling-sweep',
      { every: Math.max(1000, Math.floor(this.config.schedulingLeaseMs / 2)) },
      { name: 'sweep', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }

  private async enqueue<N extends SchedulingJobName>(name: N, data: SchedulingJobs[N], jobId: string) {
    const existing = await this.queue.getJob(jobId);
    if (existing && ((await existing.isCompleted()) || (await existing.isFailed()))) await existing.remove();
    await this.queue.add(name, data, {
      jobId,
      attempts: 1,
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 24 * 3600 },
    });
  }

  // The snapshot

  private async snapshot(programme: Programme, options: RunOptions): Promise<RunSnapshot> {
    const { venue, hours } = await this.venues.requirePavilionInVenue(programme.pavilionId);
    const zone = venue.timezone;
    const spaces = await this.venues.listSpaces(programme.pavilionId);
    const own = await this.runs.programmeItems(programme.id);
    const speakerIds = [...new Set(own.flatMap((i) => i.speakerIds))];
    const from = venueDayRange(programme.startsOn, zone).start;
    const to = venueDayRange(programme.endsOn, zone).end;
    const others = await this.runs.blockingItems(
      programme.id,
      spaces.map((s) => s.id),
      speakerIds,
      from,
      to,
    );
    const allSpeakerIds = [...new Set([...speakerIds, ...others.flatMap((i) => i.speakerIds)])];
    const speakers = await this.speakers.findSpeakers(allSpeakerIds);
    const closures = await this.runs.closures(
      spaces.map((s) => s.id),
      from,
      to,
    );
    const published = programme.status === 'published';
    const { open, days } = programmeCalendar(programme, hours, zone);
    const problem: ProgrammeProblem = {
      stepMinutes: STEP_MINUTES,
      open,
      days,
      spaces: spaces.map((s) => ({
        id: s.id,
        name: s.name,
        kind: s.kind,
        capacity: s.capacity,
        closures: closures
          .filter((c) => c.space_id === s.id)
          .map((c) => ({ start: toMinute(c.starts_at), end: toMinute(c.ends_at) })),
      })),
      speakers: speakers.map((s) => ({
        id: s.id,
        name: s.name,
        availability: s.availability?.map((r) => ({ start: toMinute(r.from), end: toMinute(r.to) })) ?? null,
      })),
      items: [
        ...own.map((i) => problemItem({ ...i, foreign: false }, published)),
        ...others.map((i) => problemItem({ ...i, foreign: true }, false)),
      ],
      scope: options.scope,
      keepPublished: options.keepPublished,
      seed: 1,
    };
    const seen: RunSnapshot['seen'] = {};
    for (const { item } of own) {
      seen[item.id] = {
        status: item.status,
        spaceId: item.spaceId,
        startsAt: item.startsAt?.toISOString() ?? null,
        endsAt: item.endsAt?.toISOString() ?? null,
        version: item.version,
      };
    }
    return { timezone: zone, published, problem, seen };
  }

  private async requireRun(runId: string): Promise<SchedulingRunRow> {
    const run = await this.runs.findRun(runId);
    if (!run) throw DomainError.notFound('Scheduling run');
    return run;
  }

  private view(run: SchedulingRunRow): SchedulingRunResponseDto {
    const snapshot = run.snapshot as RunSnapshot;
    const zone = snapshot.timezone;
    const solution = run.result as ProgrammeSolution | null;
    const at = (d: Date | null) => (d ? formatVenueInstant(d, zone) : null);
    const place = (p: Placement) => ({
      spaceId: p.spaceId,
      startsAt: formatVenueInstant(fromMinute(p.start), zone),
      endsAt: formatVenueInstant(fromMinute(p.end), zone),
    });
    return {
      id: run.id,
      programmeId: run.programme_id,
      status: run.status,
      progress: run.progress,
      startedAt: at(run.started_at),
      finishedAt: at(run.finished_at),
      score: solution
        ? { hard: solution.score.hard, soft: solution.score.soft, terms: { ...solution.score.terms } }
        : null,
      placements: (solution?.placements ?? []).map((p): RunPlacementDto => ({
        itemId: p.itemId,
        ...place(p),
        moved: p.moved,
        ...(p.previous && { previous: place(p.previous) }),
        ...(p.why && { why: p.why }),
      })),
      unplaced: solution?.unplaced ?? [],
      error: run.error,
      appliedAt: at(run.applied_at),
      options: run.options as RunOptions,
    };
  }
}
