export * from './errors';
export * from './decider';
export * from './business-date';
export * from './grants';
