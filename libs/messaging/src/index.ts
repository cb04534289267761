export * from './topics';
export * from './envelope';
export * from './kafka-client';
export * from './dead-letters';
export * from './transient-errors';
export * from './checkpointed-consumer';
export * from './messaging.migration';
