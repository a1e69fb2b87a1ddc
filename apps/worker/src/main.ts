import 'reflect-metadata';
import { ConfigError, loadConfig } from '@pavilion/config';
import { runInProcesses } from '@pavilion/core';
import { createWorker } from './bootstrap';

function fail(error: unknown): never {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

/**
 * WORKER_PROCESSES > 1: that many worker processes (see runInProcesses). In each, SIGTERM/SIGINT stops taking
 * jobs and lets the in-flight ones finish (BullMQ's close waits for them), then exits 0.
 */
function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    fail(error);
  }
  const workerConfig = config;
  runInProcesses(workerConfig.workerProcesses, 'Worker', () => {
    const booting = createWorker(workerConfig);
    const stop = () => {
      // A signal during start-up waits for the start to finish, then closes just the same.
      booting
        .then((worker) => worker.close())
        .then(() => process.exit(0))
        .catch(fail);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    booting.catch(fail);
  });
}

main();
