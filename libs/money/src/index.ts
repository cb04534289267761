export * from './paise';
export * from './rounding';
export * from './split';
