export * from './event-store';
export * from './event-store.migration';
export * from './stored-event';
export * from './command-handler';
export * from './outbox-relay';
export * from './republish';
export * from './request-transaction';
export * from './savepoint';
