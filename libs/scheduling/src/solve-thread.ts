import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { SolveControl, Solver, StopReason } from './solve-control';
import type { ThreadRequest, ThreadMessage } from './solve-runner';

/**
 * The body of a solve thread: loads the solver module named in `workerData`, runs it with a control whose
 * clock and cancellation flag live here, and posts progress and the result back to the runner.
 */
async function main(): Promise<void> {
  const request = workerData as ThreadRequest;
  const port = parentPort;
  if (!port) throw new Error('solve-thread runs only as a worker thread');
  const flag = new Int32Array(request.cancelFlag);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(request.modulePath) as Record<string, Solver<unknown, unknown>>;
  // The limit counts from here: loading (and, from sources, compiling) the solver is not solving.
  port.postMessage({ type: 'started' } satisfies ThreadMessage);
  const deadline = performance.now() + request.timeLimitMs;
  let reason: StopReason | null = null;
  let lastProgress = -1;
  let lastSent = 0;
  const control: SolveControl = {
    shouldStop() {
      if (reason) return true;
      if (Atomics.load(flag, 0) !== 0) reason = 'cancelled';
      else if (performance.now() >= deadline) reason = 'time_limit';
      return reason !== null;
    },
    stopReason: () => reason,
    progress(fraction) {
      const value = Math.max(0, Math.min(1, fraction));
      const now = performance.now();
      // At most ten reports a second, and only when the figure moved.
      if (value === lastProgress || (now - lastSent < 100 && value < 1)) return;
      lastProgress = value;
      lastSent = now;
      port.postMessage({ type: 'progress', value } satisfies ThreadMessage);
    },
  };
  const solver = module[request.exportName];
  if (typeof solver !== 'function') {
    throw new Error(`${request.modulePath} exports no solver named ${request.exportName}`);
  }
  const value = await solver(request.input, control);
  port.postMessage({ type: 'result', value, stopReason: control.stopReason() } satisfies ThreadMessage);
}

main().catch((error: unknown) => {
  parentPort?.postMessage({
    type: 'error',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  } satisfies ThreadMessage);
});
