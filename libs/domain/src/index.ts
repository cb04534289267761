export * from './errors';
export * from './command';
export * from './decider';
export * from './business-date';
export * from './grants';
export * from './upcasting';
