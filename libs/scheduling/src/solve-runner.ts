import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { StopReason } from './solve-control';

/** Which solver a thread runs: an absolute module path (without extension) and the name of its export. */
export interface SolverEntry {
  modulePath: string;
  exportName: string;
}

export interface SolveOptions {
  /** The solver is told to stop after this long and returns its best; 0 < limit. */
  timeLimitMs: number;
  /** Aborting it cancels the solve: the thread is told at once and terminated if it has not ended in `graceMs`. */
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  /** How long a told-to-stop thread may take to return before it is terminated (default 500 ms). */
  graceMs?: number;
}

export type SolveOutcome<O> =
  { status: 'done'; result: O; stopReason: StopReason | null } | { status: 'cancelled' };

/** @internal What the runner hands a thread. */
export interface ThreadRequest {
  modulePath: string;
  exportName: string;
  input: unknown;
  timeLimitMs: number;
  cancelFlag: SharedArrayBuffer;
}

/** @internal What a thread posts back. */
export type ThreadMessage =
  | { type: 'started' }
  | { type: 'progress'; value: number }
  | { type: 'result'; value: unknown; stopReason: StopReason | null }
  | { type: 'error'; message: string };

export class SolveError extends Error {}

/**
 * Runs a solver in a worker thread, off the caller's event loop, so a process that solves keeps serving its
 * other jobs. The thread stops at the time limit (the solver checks a clock of the thread's own) or within
 * `graceMs` of a cancellation (a shared flag the solver polls; a thread that does not answer is terminated).
 */
export function solveInThread<I, O>(
  entry: SolverEntry,
  input: I,
  options: SolveOptions,
): Promise<SolveOutcome<O>> {
  const graceMs = options.graceMs ?? 500;
  const cancelFlag = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancelFlag);
  const request: ThreadRequest = { ...entry, input, timeLimitMs: options.timeLimitMs, cancelFlag };
  if (options.signal?.aborted) return Promise.resolve({ status: 'cancelled' });

  const worker = startThread(request);
  return new Promise<SolveOutcome<O>>((resolve, reject) => {
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (outcome: SolveOutcome<O> | Error) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onAbort = () => {
      Atomics.store(flag, 0, 1);
      timers.push(setTimeout(() => finish({ status: 'cancelled' }), graceMs));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: ThreadMessage) => {
      // The limit counts from when the solver starts (loading a thread may take a while on a busy machine); a
      // solver that overruns it by more than the grace has stopped checking and is ended, not waited for.
      if (message.type === 'started')
        timers.push(
          setTimeout(
            () => finish(new SolveError(`the solver did not stop within ${graceMs} ms of its time limit`)),
            options.timeLimitMs + Math.max(graceMs, 1000),
          ),
        );
      else if (message.type === 'progress') options.onProgress?.(message.value);
      else if (message.type === 'error') finish(new SolveError(message.message));
      else if (options.signal?.aborted || message.stopReason === 'cancelled') finish({ status: 'cancelled' });
      else finish({ status: 'done', result: message.value as O, stopReason: message.stopReason });
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) =>
      finish(new SolveError(`the solve thread exited (code ${code}) without a result`)),
    );
  });
}

/**
 * Compiled code (dist/) runs the thread's .js file; from TypeScript sources (tests) the thread first installs
 * a require hook that compiles .ts with SWC, a dev dependency that is present wherever sources run.
 */
function startThread(request: ThreadRequest): Worker {
  const fromSources = __filename.endsWith('.ts');
  const threadFile = path.join(__dirname, `solve-thread${fromSources ? '.ts' : '.js'}`);
  if (!fromSources) return new Worker(threadFile, { workerData: request });
  const bootstrap = `
    const fs = require('node:fs');
    const swc = require('@swc/core');
    require.extensions['.ts'] = (module, filename) => {
      const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
        filename, swcrc: false, sourceMaps: 'inline',
        jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022' },
        module: { type: 'commonjs' },
      });
      module._compile(code, filename);
    };
    require(${JSON.stringify(threadFile)});
  `;
  return new Worker(bootstrap, { eval: true, workerData: request });
}
