import { readdirSync } from 'node:fs';
import os from 'node:os';

/**
 * Lowers this process's scheduling priority to `nice` (never raises it). On Linux a nice value belongs to each
 * thread, so every thread the process has now (the main thread, V8's garbage-collector helpers, libuv's pool) is
 * set; threads and processes started later inherit it from the main thread.
 */
export function lowerPriority(nice: number): void {
  if (nice <= os.getPriority()) return;
  let threads: number[] = [];
  try {
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    // Not Linux: the process's own priority is all there is.
  }
  for (const id of threads.length > 0 ? threads : [0]) {
    try {
      os.setPriority(id, nice);
    } catch {
      // A thread that has just ended.
    }
  }
}
