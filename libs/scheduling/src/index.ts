export * from './intervals';
export * from './random';
export * from './solve-runner';
export * from './meetings';
