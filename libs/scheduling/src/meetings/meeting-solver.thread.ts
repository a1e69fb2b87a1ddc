// The worker-thread entry of the meeting solver (see runSolverThread): the clock lives here, not in the model.
import { parentPort, workerData } from 'node:worker_threads';
import { serveSolverThread, ThreadInput } from '../solve-runner';
import { MeetingProblem, MeetingSolution, solveMeetings } from './meeting-model';

export interface MeetingThreadInput {
  problem: MeetingProblem;
  seed: number;
  iterations?: number;
}

serveSolverThread<MeetingThreadInput, MeetingSolution>(
  ({ problem, seed, iterations }, control) => solveMeetings(problem, { seed, iterations, ...control }),
  workerData as ThreadInput<MeetingThreadInput>,
  (message) => parentPort?.postMessage(message),
);
