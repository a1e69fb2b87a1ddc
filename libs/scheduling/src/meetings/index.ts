import path from 'node:path';
import { solveInThread, SolveOptions, SolveOutcome } from '../solve-runner';
import type { MeetingSolveInput } from './meeting-model';
import type { MeetingSolution } from './meeting-problem';

export * from './meeting-problem';
export { meetingUpperBound } from './meeting-bound';
export { greedyMeetings, solveMeetings, solveMeetingsSolver } from './meeting-model';
export type { MeetingSolveInput } from './meeting-model';

/** Solves a meeting problem in a worker thread, with a time limit, progress and cancellation (an abort signal). */
export function solveMeetingsInThread(
  input: MeetingSolveInput,
  options: SolveOptions,
): Promise<SolveOutcome<MeetingSolution>> {
  return solveInThread<MeetingSolveInput, MeetingSolution>(
    { modulePath: path.join(__dirname, 'meeting-model'), exportName: 'solveMeetingsSolver' },
    input,
    options,
  );
}
