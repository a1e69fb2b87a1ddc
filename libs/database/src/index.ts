export * from './data-source';
export * from './pg-errors';
export * from './retrying-data-source';
export * from './database.module';
export * from './redis.module';
export * from './health';
export * from './outbox';
export * from './queues';
