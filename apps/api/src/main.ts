import 'reflect-metadata';
import { ConfigError, loadConfig } from '@pavilion/config';
import { createApiApp } from './bootstrap';

async function main() {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen({ port: config.port, host: '0.0.0.0' });
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
