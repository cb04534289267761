export * from './decider-spec';
export * from './wait-for';
export * from './test-environment';
export * from './scratch-topic';
export * from './scratch-database';
