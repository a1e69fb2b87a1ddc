// The reminder benchmark's workers: in the benchmark's own process (the default, so a CPU profile and the event
// loop's load can be read), or as `npm start` runs them, in processes of their own (`--worker-processes N`: the
// worker's main.js with WORKER_PROCESSES=N, each process its own event loop).
import { INestApplicationContext } from '@nestjs/common';
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { EventLoopUtilization, performance } from 'node:perf_hooks';
import { loadConfig } from '@pavilion/config';
import { createWorker } from '../apps/worker/src/bootstrap';
import { rssBytes, treeCpuMs, treePids } from './cpu-meter';

export interface Workers {
  /** How the workers run, for the report. */
  readonly description: string;
  /** CPU time so far (ms) of the workers and of this process (the sink's client, the polling). */
  cpuMs(): number;
  /** The workers' resident memory now: this process's when they run in it, else their processes' alone. */
  rssBytes(): number;
  /** The event loop's load so far, where the worker shares this process's loop; otherwise undefined. */
  eventLoop(): EventLoopUtilization | undefined;
  close(): Promise<void>;
}

const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

class InProcess implements Workers {
  constructor(private readonly apps: INestApplicationContext[]) {}
  get description() {
    return `${this.apps.length} in this process`;
  }
  cpuMs = ownCpuMs;
  rssBytes = () => process.memoryUsage.rss();
  eventLoop = () => performance.eventLoopUtilization();
  async close() {
    await Promise.all(this.apps.map((app) => app.close()));
  }
}

class OwnProcesses implements Workers {
  /** The worker's processes, found once they have all started: the bench polls their memory every 20 ms. */
  private pids: number[] = [];

  constructor(
    private readonly child: ChildProcess,
    private readonly processes: number,
  ) {}
  get description() {
    return `${this.processes} in processes of their own (the worker's main.js, WORKER_PROCESSES=${this.processes})`;
  }
  cpuMs = () => treeCpuMs(this.child.pid as number) + ownCpuMs();
  rssBytes = () => {
    // One process, or a supervisor and its WORKER_PROCESSES children; until they have all started, look again.
    const expected = this.processes > 1 ? this.processes + 1 : 1;
    if (this.pids.length < expected) this.pids = treePids(this.child.pid as number);
    return rssBytes(this.pids);
  };
  eventLoop = () => undefined;
  async close() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

export async function startWorkers(
  env: NodeJS.ProcessEnv,
  options: { workers: number; workerProcesses?: number },
): Promise<Workers> {
  if (!options.workerProcesses) {
    const apps: INestApplicationContext[] = [];
    for (let i = 0; i < options.workers; i++) apps.push(await createWorker(loadConfig(env)));
    return new InProcess(apps);
  }
  const child = spawn(process.execPath, [path.resolve(__dirname, '../apps/worker/src/main.js')], {
    env: { ...env, WORKER_PROCESSES: String(options.workerProcesses) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new OwnProcesses(child, options.workerProcesses);
}
