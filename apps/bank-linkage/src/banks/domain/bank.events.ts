import type { BankStreamEvent } from '@sangam/contracts';

export type BankEvent = BankStreamEvent;

export const BANK_STREAM_TYPE = 'bank';
