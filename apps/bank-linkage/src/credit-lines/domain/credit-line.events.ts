import type { CreditLineStreamEvent } from '@sangam/contracts';

export type CreditLineEvent = CreditLineStreamEvent;

export const CREDIT_LINE_STREAM_TYPE = 'credit-line';
