import 'reflect-metadata';
import { AppConfig, exitOnStartFailure, loadConfig, portInUseMessage } from '@pavilion/config';
import { runInProcesses } from '@pavilion/core';
import { aggregateMetricsOfProcesses } from '@pavilion/notifications';
import { createApiApp } from './bootstrap';

/** API_PROCESSES > 1: that many API processes share PORT (see runInProcesses). A port in use is one line. */
function main(config: AppConfig) {
  if (config.apiProcesses > 1) aggregateMetricsOfProcesses();
  runInProcesses(config.apiProcesses, 'API', () => {
    createApiApp(config)
      .then((app) => app.listen({ port: config.port, host: '0.0.0.0' }))
      .catch((error: unknown) => exitOnStartFailure(portInUseMessage(error, config.port, 'PORT') ?? error));
  });
}

try {
  main(loadConfig());
} catch (error) {
  exitOnStartFailure(error);
}
