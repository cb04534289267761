import type { BankLinkageEvent, CreditDrawRejectedData, BankWebhookAcceptedData } from '@sangam/contracts';
import { publishedLanguage } from '@sangam/platform';
import type { BankEvent } from './banks/domain/bank.events';
import type { CreditLineEvent } from './credit-lines/domain/credit-line.events';

/** What bank-linkage stores outside the bank and credit-line streams: answers to draw requests, accepted webhooks. */
type DrawRequestOrDeliveryEvent =
  { type: 'CreditDrawRejected'; data: CreditDrawRejectedData } | { type: 'BankWebhookAccepted'; data: BankWebhookAcceptedData };

/** Bank-linkage's events as libs/contracts publishes them: the same shapes today; a change to one is mapped here. */
export const BANK_LINKAGE_PUBLISHED_LANGUAGE = publishedLanguage(
  (event: BankEvent | CreditLineEvent | DrawRequestOrDeliveryEvent): BankLinkageEvent => event,
);
