import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { SinkCount, SinkSummary } from './smtp-sink-process';

/** The counting SMTP sink of bench/smtp-sink-process.ts, in a process of its own, and how to ask it. */
export class SinkProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static start(): Promise<SinkProcess> {
    const child = fork(path.join(__dirname, 'smtp-sink-process.js'), [], { stdio: 'ignore' });
    return new Promise((resolve, reject) => {
      child.once('message', (m: { port: number }) => resolve(new SinkProcess(child, m.port)));
      child.once('error', reject);
    });
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  count(): Promise<SinkCount> {
    return this.ask<SinkCount>('count');
  }

  summary(): Promise<SinkSummary> {
    return this.ask<SinkSummary>('summary');
  }

  async reset(): Promise<void> {
    await this.ask('reset');
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    await exited;
  }

  private ask<T>(what: 'count' | 'summary' | 'reset'): Promise<T> {
    return new Promise((resolve) => {
      const onMessage = (m: Record<string, T>) => {
        if (!(what in m)) return;
        this.child.off('message', onMessage);
        resolve(m[what]);
      };
      this.child.on('message', onMessage);
      this.child.send(what);
    });
  }
}
