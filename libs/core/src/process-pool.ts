import cluster, { Worker } from 'node:cluster';

/** A replacement for a process that died this soon after its start waits a little, so a crash loop cannot spin. */
const EARLY_DEATH_MS = 5_000;
const RESTART_DELAY_MS = 1_000;

/**
 * Runs `start` in `count` processes of Node's cluster: with 1 it runs here, in this process, as before; with more
 * this process becomes a small supervisor that forks them, replaces any that dies (a crash or a SIGKILL), and on
 * SIGTERM/SIGINT passes the signal on and exits once all have finished. Servers the processes start on one port
 * share it (the supervisor hands connections round-robin); everything they share beyond that lives in PostgreSQL
 * and Redis, never in a process.
 */
export function runInProcesses(count: number, label: string, start: () => void): void {
  if (count <= 1 || cluster.isWorker) {
    start();
    return;
  }
  let stopping = false;
  const startedAt = new Map<Worker, number>();
  const fork = () => startedAt.set(cluster.fork(), Date.now());

  cluster.on('exit', (worker, code, signal) => {
    const bornAt = startedAt.get(worker) ?? 0;
    startedAt.delete(worker);
    if (stopping) {
      if (startedAt.size === 0) process.exit(0);
      return;
    }
    console.error(
      `${label} process ${worker.process.pid} ended (${signal ?? `exit code ${code}`}); starting a replacement`,
    );
    setTimeout(fork, Date.now() - bornAt < EARLY_DEATH_MS ? RESTART_DELAY_MS : 0);
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    if (startedAt.size === 0) process.exit(0);
    for (const worker of startedAt.keys()) worker.process.kill(signal);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  for (let i = 0; i < count; i++) fork();
}
