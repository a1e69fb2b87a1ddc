import { BullModule } from '@nestjs/bullmq';
import { DynamicModule } from '@nestjs/common';
import { Processor, Queue, QueueOptions, RedisConnection, Worker, WorkerOptions } from 'bullmq';

/**
 * BullMQ's Redis connection reports a start that never succeeded as an 'error' event, even after `close()` has
 * removed its listeners: a queue closed while Redis is unreachable, during a reconnection attempt, then throws
 * `connect ECONNREFUSED` as an unhandled rejection (bullmq#3546). Once nobody listens there is nobody to tell, so
 * such an error is dropped; while the queue or worker listens, errors reach it as before.
 */
export class ClosableRedisConnection extends RedisConnection {
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'error' && this.listenerCount('error') === 0) return false;
    return super.emit(event, ...args);
  }
}

class ClosableQueue extends Queue {
  constructor(name: string, opts?: QueueOptions) {
    super(name, opts, ClosableRedisConnection);
  }
}

class ClosableWorker extends Worker {
  constructor(name: string, processor?: string | URL | null | Processor, opts?: WorkerOptions) {
    super(name, processor, opts, ClosableRedisConnection);
  }
}

/**
 * BullModule.registerQueue for Pavilion's queues: they, and the workers that the apps' processors run on them,
 * talk to Redis through ClosableRedisConnection.
 */
export function registerQueues(...names: string[]): DynamicModule {
  BullModule.queueClass = ClosableQueue;
  BullModule.workerClass = ClosableWorker;
  return BullModule.registerQueue(...names.map((name) => ({ name })));
}
