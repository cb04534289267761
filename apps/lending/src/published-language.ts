import type { LendingEvent } from '@sangam/contracts';
import { publishedLanguage } from '@sangam/platform';
import type { LoanEvent } from './loans/domain/loan.events';

/** Lending's events as libs/contracts publishes them: the loan events have the same shape today; a change to one is mapped here. */
export const LENDING_PUBLISHED_LANGUAGE = publishedLanguage((event: LoanEvent): LendingEvent => event);
