import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { once } from 'node:events';
import { SCHEDULING_QUEUE } from '@pavilion/programmes';
import { loadConfig } from '@pavilion/config';
import { createWorker } from '../../apps/worker/src/bootstrap';
import { WorkerHttpServer } from '../../apps/worker/src/worker-http.server';
import { TestApi } from '../support/api';

describe('operations: health and API documentation', () => {
  let api: TestApi;
  beforeAll(async () => (api = await TestApi.start()));
  afterAll(() => api.close());

  it('reports the API live and ready with PostgreSQL and Redis up', async () => {
    expect((await api.get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await api.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info).toEqual({ postgres: { status: 'up' }, redis: { status: 'up' } });
  });

  it('reports not ready (503) when Redis is unreachable, and closes without an unhandled error', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    const broken = await TestApi.start({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      expect((await broken.get('/health/ready')).status).toBe(503);
      // A queue closed in the middle of a reconnection attempt: what a shutdown now and then ran into.
      const queue = broken.app.get<Queue>(getQueueToken(SCHEDULING_QUEUE));
      const client = (queue as any).connection._client;
      await once(client, 'connecting');
      await queue.close();
      if (client.status !== 'end') await once(client, 'end');
      await new Promise((settled) => setImmediate(settled));
    } finally {
      await broken.close();
      process.off('unhandledRejection', record);
    }
    expect(unhandled).toEqual([]);
  });

  it('serves OpenAPI with the bearer scheme and the access each route needs', async () => {
    const doc = await api.get('/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.body.paths['/api/venues'].post['x-pavilion-access']).toBe('admin');
    expect(doc.body.paths['/api/programmes/{id}/items'].post['x-pavilion-access']).toContain('organizer');
    expect(doc.body.paths['/api/programmes/{id}/items'].get['x-pavilion-access']).toBe('public');
    expect((await api.get('/docs')).status).toBe(200);
  });

  describe('worker', () => {
    let worker: INestApplicationContext;
    beforeAll(async () => (worker = await createWorker(loadConfig({ ...process.env, WORKER_PORT: '0' }))));
    afterAll(() => worker.close());

    it('starts, connects and serves its own health endpoints', async () => {
      const port = worker.get(WorkerHttpServer).port();
      expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as any).info.postgres.status).toBe('up');
    });
  });
});
