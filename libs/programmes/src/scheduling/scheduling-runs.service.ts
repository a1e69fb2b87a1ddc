import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, formatVenueInstant, venueDayRange } from '@pavilion/core';
import { Placement, ProgrammeProblem, ProgrammeSolution } from '@pavilion/scheduling';
import { VenuesService } from '@pavilion/venues';
import { CreateSchedulingRunDto, RunPlacementDto, SchedulingRunResponseDto } from '../dto/scheduling.dto';
import { Programme } from '../programme.entities';
import { ProgrammesService } from '../programmes.service';
import { SpeakersRepository } from '../speakers.repository';
import { SchedulingQueue } from './scheduling.queue';
import { SchedulingRunRow, SchedulingRunsRepository } from './scheduling-runs.repository';
import {
  fromMinute,
  problemItem,
  programmeCalendar,
  RunOptions,
  RunSnapshot,
  STEP_MINUTES,
  toMinute,
} from './snapshot';

/**
 * Scheduling runs as the organizer asks for them: the API snapshots a programme and queues a run, then reports
 * its status and proposal, or cancels it. The worker solves it (SchedulingRunner); the organizer applies it
 * (SchedulingApplyService).
 */
@Injectable()
export class SchedulingRunsService {
  constructor(
    private readonly runs: SchedulingRunsRepository,
    private readonly speakers: SpeakersRepository,
    private readonly programmes: ProgrammesService,
    private readonly venues: VenuesService,
    private readonly queue: SchedulingQueue,
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
    await this.queue.solve(run.id);
    return { id: run.id, status: 'queued' };
  }

  async get(runId: string): Promise<SchedulingRunResponseDto> {
    return runView(await this.requireRun(runId));
  }

  /** The programme a run belongs to, for the API's ownership check. */
  async programmeOf(runId: string): Promise<Programme> {
    return this.programmes.requireProgramme((await this.requireRun(runId)).programme_id);
  }

  async cancel(runId: string): Promise<SchedulingRunResponseDto> {
    const cancelled = await this.runs.cancel(runId);
    if (cancelled) return runView(cancelled);
    const run = await this.requireRun(runId);
    if (run.status === 'cancelled') return runView(run);
    throw new DomainError(ErrorCode.StateConflict, `The run has already ended (${run.status})`);
  }

  async requireRun(runId: string): Promise<SchedulingRunRow> {
    const run = await this.runs.findRun(runId);
    if (!run) throw DomainError.notFound('Scheduling run');
    return run;
  }

  /** The programme as the solver sees it: its spaces, calendar, items, speakers, and what else blocks them. */
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
}

function runView(run: SchedulingRunRow): SchedulingRunResponseDto {
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
