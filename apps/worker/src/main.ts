import 'reflect-metadata';
import { ConfigError, loadConfig } from '@pavilion/config';
import { createWorker } from './bootstrap';

async function main() {
  const worker = await createWorker(loadConfig());
  // SIGTERM/SIGINT: stop taking jobs, let the in-flight ones finish (BullMQ's close waits for them), then exit 0.
  const stop = () => {
    worker
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
