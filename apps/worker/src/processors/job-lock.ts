/** A killed worker's job is picked up again within about this long (locks renew while a job runs). */
export const JOB_LOCK = { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 3 };
