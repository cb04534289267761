import { SetMetadata } from '@nestjs/common';

/**
 * Encrypts a stored answer for the Idempotency-Key store. Answers that carry a secret (a bank's
 * webhook secret) are kept 24 h for replay, and must not be kept in plaintext meanwhile.
 */
export interface AnswerSealer {
  /** `context` (the Idempotency-Key) is authenticated with the answer: a sealed answer opens only under its own key. */
  seal(context: string, plaintext: string): string;
  open(context: string, sealed: string): string;
}

export const ANSWER_SEALER = Symbol('ANSWER_SEALER');
export const SEALED_ANSWER = 'sangam:sealed-answer';

/** For routes whose answer carries a secret: the stored copy is sealed with the service's AnswerSealer. */
export const SealedAnswer = () => SetMetadata(SEALED_ANSWER, true);
