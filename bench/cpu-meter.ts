import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * Where the machine's CPU went during a window: the whole machine's busy time (/proc/stat) and the CPU time of
 * named groups of processes (/proc/<pid>/stat), so a benchmark can say what one request costs in CPU and how
 * many of them two cores could serve at best. Linux only; reads nothing but /proc.
 */
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  /** Own user + system time, and that of reaped children (cutime + cstime), in ms. */
  cpuMs: number;
  /** The command line, arguments joined by spaces. */
  cmdline: string;
}

function readProcs(): Proc[] {
  const procs: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      // Fields after the command name, from field 3 (state): ppid is 4, utime 14, stime 15, cutime 16, cstime 17.
      const f = stat.slice(close + 2).split(' ');
      const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      procs.push({ pid: Number(entry), ppid: Number(f[1]), comm, cpuMs: ticks * TICK_MS, cmdline });
    } catch {
      // The process ended while being read.
    }
  }
  return procs;
}

/** The machine's busy and total time so far, in ms summed over all CPUs. */
function machine(): { busyMs: number; totalMs: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busyMs: (total - idle - iowait) * TICK_MS, totalMs: total * TICK_MS };
}

/**
 * Which processes belong to a group: by a root pid (the process and all it started; with `script`, only those of
 * them whose command line names that script, such as the API's or the worker's main.js and their cluster
 * workers) or by command name.
 */
export type GroupOf = { tree: number; script?: string } | { comm: string } | { self: true };

export interface CpuWindow {
  wallMs: number;
  /** Busy time of the whole machine, ms summed over CPUs. */
  busyMs: number;
  /** Share of all CPUs busy (0..1). */
  utilisation: number;
  groups: Record<string, number>;
}

function groupMs(procs: Proc[], group: GroupOf): number {
  if ('self' in group) {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }
  if ('comm' in group) return procs.filter((p) => p.comm === group.comm).reduce((s, p) => s + p.cpuMs, 0);
  return treeOf(procs, group.tree)
    .filter((p) => !group.script || p.cmdline.includes(group.script))
    .reduce((s, p) => s + p.cpuMs, 0);
}

/** A process and every process it started, among `procs`. */
function treeOf(procs: Proc[], root: number): Proc[] {
  const children = new Map<number, Proc[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const tree: Proc[] = [];
  const stack = procs.filter((p) => p.pid === root);
  while (stack.length > 0) {
    const p = stack.pop() as Proc;
    tree.push(p);
    stack.push(...(children.get(p.pid) ?? []));
  }
  return tree;
}

export class CpuMeter {
  private start?: {
    at: number;
    machine: { busyMs: number; totalMs: number };
    groups: Record<string, number>;
  };

  constructor(private readonly groups: Record<string, GroupOf>) {}

  begin(): void {
    const procs = readProcs();
    this.start = {
      at: performance.now(),
      machine: machine(),
      groups: Object.fromEntries(Object.entries(this.groups).map(([k, g]) => [k, groupMs(procs, g)])),
    };
  }

  end(): CpuWindow {
    if (!this.start) throw new Error('CpuMeter.end() before begin()');
    const procs = readProcs();
    const now = machine();
    const busyMs = now.busyMs - this.start.machine.busyMs;
    const totalMs = now.totalMs - this.start.machine.totalMs;
    const start = this.start;
    return {
      wallMs: performance.now() - start.at,
      busyMs,
      utilisation: totalMs > 0 ? busyMs / totalMs : 0,
      groups: Object.fromEntries(
        Object.entries(this.groups).map(([k, g]) => [k, groupMs(procs, g) - start.groups[k]]),
      ),
    };
  }
}

export const cores = (): number => os.cpus().length;

/** The CPU time so far (ms) of a process and all it started. */
export function treeCpuMs(root: number): number {
  return groupMs(readProcs(), { tree: root });
}

/** The pids of a process and all it started, now. */
export function treePids(root: number): number[] {
  return treeOf(readProcs(), root).map((p) => p.pid);
}

/** The resident memory now (bytes) of these processes (one that ended counts nothing). */
export function rssBytes(pids: number[]): number {
  let bytes = 0;
  for (const pid of pids) {
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      bytes += Number(rss?.[1] ?? 0) * 1024;
    } catch {
      // The process ended while being read.
    }
  }
  return bytes;
}
