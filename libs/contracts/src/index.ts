export * from './event-contract';
export * from './topics';
export * from './access.events';
export * from './groups.events';
export * from './lending.events';
export * from './bank-linkage.events';
export * from './asyncapi';
export * from './upcasters';
