export * from './decider-spec';
export * from './wait-for';
export * from './test-environment';
export * from './scratch-topic';
export * from './scratch-database';
export * from './http-client';
export * from './event-publisher';
export * from './contract-conformance';
