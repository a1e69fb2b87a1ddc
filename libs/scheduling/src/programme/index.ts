export * from './problem';
export {
  softTerms,
  softScore,
  weightsOf,
  seatsNeeded,
  spaceFits,
  windowTime,
  sharedAvailability,
} from './rules';
export { hardViolations, type HardViolation } from './validate';
export { solveProgramme } from './solve';
import path from 'node:path';
import type { SolverEntry } from '../solve-runner';

/** The programme solver as a solve thread loads it. */
export const PROGRAMME_SOLVER: SolverEntry = {
  modulePath: path.join(__dirname, 'solve'),
  exportName: 'solveProgramme',
};
export { programmeMip, type ProgrammeMip } from './mip';
