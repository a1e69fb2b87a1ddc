import 'reflect-metadata';
import { ConfigError, loadConfig, portInUseMessage } from '@pavilion/config';
import { createWorker } from './bootstrap';

/** SIGTERM/SIGINT: stop taking jobs, let the in-flight ones finish (BullMQ's close waits for them), exit 0. */
function main() {
  let port = 0;
  const booting = Promise.resolve().then(() => {
    const config = loadConfig();
    port = config.workerPort;
    return createWorker(config);
  });
  const stop = () => {
    // A signal during start-up waits for the start to finish, then closes just the same.
    booting
      .then((worker) => worker.close())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  booting.catch((error: unknown) => {
    console.error(
      error instanceof ConfigError ? error.message : (portInUseMessage(error, port, 'WORKER_PORT') ?? error),
    );
    process.exit(1);
  });
}

main();
