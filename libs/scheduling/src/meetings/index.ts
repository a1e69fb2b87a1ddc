import { runSolverThread, SolveHandle, solverScript } from '../solve-runner';
import type { MeetingSolution } from './meeting-model';
import type { MeetingThreadInput } from './meeting-solver.thread';

export * from './meeting-model';
export type { MeetingThreadInput } from './meeting-solver.thread';

/** Solves a meeting problem in a worker thread, with a time limit, progress and an early stop. */
export function solveMeetingsInThread(
  input: MeetingThreadInput,
  options: { timeLimitMs: number; onProgress?: (fraction: number) => void },
): SolveHandle<MeetingSolution> {
  return runSolverThread<MeetingThreadInput, MeetingSolution>(
    solverScript(__dirname, 'meeting-solver.thread'),
    input,
    options,
  );
}
