import { Injectable } from '@nestjs/common';
import { Conflict, DomainError, ErrorCode, formatVenueInstant } from '@pavilion/core';
import { PgSqlState, violates } from '@pavilion/database';
import type { ProgrammeSolution } from '@pavilion/scheduling';
import { ApplyResultDto } from '../dto/scheduling.dto';
import { toConflict } from '../conflicts';
import { ItemWritesRepository } from '../items/item-writes.repository';
import { SpeakersRepository } from '../speakers.repository';
import { PlacementWrite, SchedulingRunsRepository } from './scheduling-runs.repository';
import { SchedulingRunsService } from './scheduling-runs.service';
import { fromMinute, RunSnapshot } from './snapshot';

const CHANGED_SINCE_THE_RUN = 'The programme changed since the run; nothing was applied';

/**
 * Applies a finished run's proposal (all placements, or the items chosen) in one transaction, or nothing: a 409
 * names what changed since the run or now stands where a placement would go.
 */
@Injectable()
export class SchedulingApplyService {
  constructor(
    private readonly runs: SchedulingRunsService,
    private readonly repository: SchedulingRunsRepository,
    private readonly items: ItemWritesRepository,
    private readonly speakers: SpeakersRepository,
  ) {}

  async apply(runId: string, itemIds?: string[]): Promise<ApplyResultDto> {
    const run = await this.runs.requireRun(runId);
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
      outcome = await this.repository.apply(runId, writes, snapshot.published);
    } catch (error) {
      // An exclusion constraint refused the plan: something new stands where it would go.
      if (violates(error, PgSqlState.ExclusionViolation))
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
      throw DomainError.conflicting(
        CHANGED_SINCE_THE_RUN,
        outcome.changed.map((i) => ({
          itemId: i.id,
          title: i.title,
          startsAt: i.startsAt ? formatVenueInstant(i.startsAt, zone) : '',
          endsAt: i.endsAt ? formatVenueInstant(i.endsAt, zone) : '',
          reason: 'changed since the run',
        })),
      );
    }
    return outcome;
  }

  /** What now stands where the placements would go (other than the items being moved themselves). */
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
    return DomainError.conflicting(CHANGED_SINCE_THE_RUN, conflicts);
  }
}
