import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** What a solver thread receives: its input, and a shared flag it polls to stop early. */
export interface ThreadInput<I> {
  input: I;
  stopFlag: Int32Array;
  deadline: number;
}

export type ThreadMessage<R> =
  { type: 'progress'; fraction: number } | { type: 'result'; result: R } | { type: 'error'; message: string };

export interface SolveHandle<R> {
  result: Promise<R>;
  /** Asks the solver to stop now; it returns the best it has. */
  stop(): void;
}

/**
 * Runs a solver script in a worker thread, off the event loop, so the worker keeps sending messages while it
 * thinks. The thread stops at `timeLimitMs` (it polls the deadline) or when `stop()` is called (a shared flag);
 * if it does not answer within a grace period after either, it is terminated.
 */
export function runSolverThread<I, R>(
  script: string,
  input: I,
  options: { timeLimitMs: number; onProgress?: (fraction: number) => void; graceMs?: number },
): SolveHandle<R> {
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + options.timeLimitMs;
  const workerData: ThreadInput<I> = { input, stopFlag, deadline };
  const worker = script.endsWith('.ts')
    ? new Worker(TS_BOOTSTRAP, { eval: true, workerData: { ...workerData, script } })
    : new Worker(script, { workerData });
  const grace = options.graceMs ?? 2000;
  let timer: NodeJS.Timeout | undefined;
  const kill = () => {
    timer ??= setTimeout(() => void worker.terminate(), grace);
  };
  const hardStop = setTimeout(kill, options.timeLimitMs);
  const result = new Promise<R>((resolve, reject) => {
    worker.on('message', (message: ThreadMessage<R>) => {
      if (message.type === 'progress') options.onProgress?.(message.fraction);
      else if (message.type === 'result') resolve(message.result);
      else reject(new Error(message.message));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`solver thread exited (${code}) without a result`)));
  }).finally(() => {
    clearTimeout(hardStop);
    if (timer) clearTimeout(timer);
    void worker.terminate();
  });
  return {
    result,
    stop: () => {
      Atomics.store(stopFlag, 0, 1);
      kill();
    },
  };
}

/** Resolves a solver script next to the caller: the compiled `.js` when built, the `.ts` source under tests. */
export function solverScript(directory: string, name: string): string {
  const js = `${directory}/${name}.js`;
  return existsSync(js) ? js : `${directory}/${name}.ts`;
}

// From sources (tests), the thread compiles TypeScript on load with SWC, as Jest does for the main thread.
const TS_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const swc = require('@swc/core');
require.extensions['.ts'] = (module, file) => {
  const { code } = swc.transformSync(fs.readFileSync(file, 'utf8'), {
    filename: file, swcrc: false,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' },
  });
  module._compile(code, file);
};
require(workerData.script);
`;

/** The thread side: reads its input, solves, posts progress and the result. */
export function serveSolverThread<I, R>(
  solve: (input: I, control: { shouldStop: () => boolean; onProgress: (f: number) => void }) => R,
  data: ThreadInput<I>,
  post: (message: ThreadMessage<R>) => void,
): void {
  try {
    const result = solve(data.input, {
      shouldStop: () => Atomics.load(data.stopFlag, 0) === 1 || Date.now() >= data.deadline,
      onProgress: (fraction) => post({ type: 'progress', fraction }),
    });
    post({ type: 'result', result });
  } catch (error) {
    post({ type: 'error', message: (error as Error).message });
  }
}
