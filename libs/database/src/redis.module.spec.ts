import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { reportRedisErrors } from './redis.module';

describe('reportRedisErrors', () => {
  it('listens to a client that cannot connect, and warns once however many attempts fail', async () => {
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message) } as unknown as Logger;
    const client = reportRedisErrors(new Redis('redis://127.0.0.1:1', { retryStrategy: () => 5 }), logger);
    try {
      // (events.once would reject on the 'error' events themselves.)
      for (let attempt = 0; attempt < 3; attempt++)
        await new Promise((retried) => client.once('reconnecting', retried));
      expect(client.listenerCount('error')).toBeGreaterThan(0);
      expect(warnings).toEqual([expect.stringMatching(/Redis is unreachable \(connect ECONNREFUSED/)]);
    } finally {
      client.disconnect();
    }
  });
});
