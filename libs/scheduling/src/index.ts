export * from './intervals';
export * from './random';
export * from './solve-control';
export { solveInThread, SolveError } from './solve-runner';
export type { SolverEntry, SolveOptions, SolveOutcome } from './solve-runner';
export * from './programme';
export * from './meetings';
