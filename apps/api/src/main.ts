import 'reflect-metadata';
import { ConfigError, loadConfig } from '@pavilion/config';
import { runInProcesses } from '@pavilion/core';
import { createApiApp } from './bootstrap';

function fail(error: unknown): never {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

/** API_PROCESSES > 1: that many API processes share PORT (see runInProcesses). */
function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    fail(error);
  }
  const apiConfig = config;
  runInProcesses(apiConfig.apiProcesses, 'API', () => {
    createApiApp(apiConfig)
      .then((app) => app.listen({ port: apiConfig.port, host: '0.0.0.0' }))
      .catch(fail);
  });
}

main();
