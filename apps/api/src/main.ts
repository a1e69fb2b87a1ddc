import 'reflect-metadata';
import { AppConfig, exitOnStartFailure, loadConfig } from '@pavilion/config';
import { runInProcesses } from '@pavilion/core';
import { createApiApp } from './bootstrap';

/** API_PROCESSES > 1: that many API processes share PORT (see runInProcesses). */
function main(config: AppConfig) {
  runInProcesses(config.apiProcesses, 'API', () => {
    createApiApp(config)
      .then((app) => app.listen({ port: config.port, host: '0.0.0.0' }))
      .catch(exitOnStartFailure);
  });
}

try {
  main(loadConfig());
} catch (error) {
  exitOnStartFailure(error);
}
