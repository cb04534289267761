import type { Answer, ErrorBody, Service } from './api';

/**
 * One meeting's collection sheet: a deposit per member and a repayment per active loan, each an
 * entry with its own Idempotency-Key. The key is what makes resubmitting safe: an entry whose
 * answer was lost keeps its key (and its amount and date), so sending it again either records it
 * or replays the first answer; only a refusal, which recorded nothing, gets a fresh key.
 */
export type Outcome = { state: 'draft' } | { state: 'recorded' } | { state: 'refused'; message: string } | { state: 'unsure' };

export interface Entry {
  id: string;
  kind: 'deposit' | 'repayment';
  /** The member who deposits, or the loan repaid. */
  target: string;
  /** Paise; undefined while the field is empty. */
  amount?: number;
  idempotencyKey: string;
  outcome: Outcome;
}

export interface Sheet {
  shgId: string;
  meetingDate: string;
  entries: Entry[];
}

export const newEntry = (kind: Entry['kind'], target: string, newKey: () => string): Entry => ({
  id: `${kind}:${target}`,
  kind,
  target,
  idempotencyKey: newKey(),
  outcome: { state: 'draft' },
});

/** Entries to send: those with an amount that are not recorded yet. */
export const pending = (sheet: Sheet): Entry[] =>
  sheet.entries.filter((entry) => entry.amount !== undefined && entry.outcome.state !== 'recorded');

/** Once anything may have reached the server, its amount and the meeting date are what the key stands for. */
export const isFrozen = (entry: Entry): boolean => entry.outcome.state === 'recorded' || entry.outcome.state === 'unsure';

export function requestFor(sheet: Sheet, entry: Entry): { service: Service; path: string; body: object } {
  return entry.kind === 'deposit'
    ? {
        service: 'groups',
        path: `/shgs/${sheet.shgId}/savings/deposits`,
        body: { memberId: entry.target, amount: entry.amount, depositedOn: sheet.meetingDate },
      }
    : { service: 'lending', path: `/loans/${entry.target}/repayments`, body: { amount: entry.amount, paidOn: sheet.meetingDate } };
}

/** The entry after its answer: `undefined` when the connection failed and no answer came. */
export function settle(entry: Entry, answer: Answer | undefined, newKey: () => string): Entry {
  if (answer && answer.status === 201) return { ...entry, outcome: { state: 'recorded' } };
  // No answer, or the server could not finish (5xx): it may or may not have recorded; the same key will tell.
  if (!answer || answer.status >= 500) return { ...entry, outcome: { state: 'unsure' } };
  return {
    ...entry,
    idempotencyKey: newKey(),
    outcome: { state: 'refused', message: (answer.body as ErrorBody | null)?.message ?? `HTTP ${answer.status}` },
  };
}
