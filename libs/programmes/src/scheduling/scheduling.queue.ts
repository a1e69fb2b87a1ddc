/** The scheduling queue: one job kind per solve, one for the sweep of runs whose worker died. */
export const SCHEDULING_QUEUE = 'scheduling';

export interface SchedulingJobs {
  solve: { runId: string };
  sweep: Record<string, never>;
}
export type SchedulingJobName = keyof SchedulingJobs;
export const SCHEDULING_JOB_NAMES: SchedulingJobName[] = ['solve', 'sweep'];

export const schedulingJobIds = { solve: (runId: string) => `solve-${runId}` };
