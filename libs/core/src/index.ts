export * from './domain-error';
export * from './time';
export * from './pagination';
export * from './page-query.dto';
export * from './validators';
export * from './actor';
export * from './objects';
export * from './phrases';
