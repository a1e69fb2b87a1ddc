import 'reflect-metadata';
import { AppConfig, exitOnStartFailure, loadConfig, portInUseMessage } from '@pavilion/config';
import { lowerPriority, runInProcesses } from '@pavilion/core';
import { aggregateMetricsOfProcesses } from '@pavilion/notifications';
import { createWorker } from './bootstrap';

/**
 * WORKER_PROCESSES > 1: that many worker processes (see runInProcesses). In each, SIGTERM/SIGINT stops taking
 * jobs and lets the in-flight ones finish (BullMQ's close waits for them), then exits 0.
 */
function main(config: AppConfig) {
  // Sends can trail a burst by seconds; a request should not. Processes forked below inherit the priority.
  lowerPriority(config.workerNice);
  if (config.workerProcesses > 1) aggregateMetricsOfProcesses();
  runInProcesses(config.workerProcesses, 'Worker', () => {
    const booting = createWorker(config);
    const stop = () => {
      // A signal during start-up waits for the start to finish, then closes just the same.
      booting
        .then((worker) => worker.close())
        .then(() => process.exit(0))
        .catch(exitOnStartFailure);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    booting.catch((error: unknown) =>
      exitOnStartFailure(portInUseMessage(error, config.workerPort, 'WORKER_PORT') ?? error),
    );
  });
}

try {
  main(loadConfig());
} catch (error) {
  exitOnStartFailure(error);
}
