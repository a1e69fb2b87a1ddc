import 'reflect-metadata';
import { ConfigError, loadConfig } from '@pavilion/config';
import { createWorker } from './bootstrap';

createWorker(loadConfig()).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
