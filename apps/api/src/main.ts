import 'reflect-metadata';
import { ConfigError, loadConfig, portInUseMessage } from '@pavilion/config';
import { createApiApp } from './bootstrap';

async function main() {
  const config = loadConfig();
  const app = await createApiApp(config);
  try {
    await app.listen({ port: config.port, host: '0.0.0.0' });
  } catch (error) {
    const taken = portInUseMessage(error, config.port, 'PORT');
    if (!taken) throw error;
    console.error(taken);
    await app.close().catch(() => undefined);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
