import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/** The worker as production runs it (global-setup builds dist/ first). */
export const WORKER_MAIN = path.join(__dirname, '../../dist/apps/worker/src/main.js');

/** Resolves once the process has ended (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Real worker processes for crash tests, with a test stack's environment; `stopAll` ends those still running
 * (SIGTERM, as an orchestrator would) and waits for them.
 */
export class WorkerProcesses {
  readonly children: ChildProcess[] = [];

  constructor(private readonly env: () => Record<string, string>) {}

  spawn(): ChildProcess {
    const child = spawn(process.execPath, [WORKER_MAIN], {
      // Unlowered priority unless a test asks: a test's timing should not depend on what else the machine runs.
      env: { ...process.env, WORKER_NICE: '0', ...this.env(), LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    this.children.push(child);
    return child;
  }

  /** SIGKILL: the process dies mid-job, with no chance to release locks or finish writes. */
  async kill(child: ChildProcess): Promise<void> {
    child.kill('SIGKILL');
    await exited(child);
  }

  async stopAll(): Promise<void> {
    for (const child of this.children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.all(this.children.map(exited));
  }
}
