import { DomainError, ruleBroken } from '@sangam/domain';
import type { CreditBorrower } from '@sangam/contracts';

export const CreditLineErrors = {
  limitExceedsDrawingPower: (limit: number, drawingPowerLeft: bigint) =>
    ruleBroken(
      'limit_exceeds_drawing_power',
      `A limit of ${limit} paise is above the ${drawingPowerLeft} paise of drawing power the borrower has left with this bank`,
    ),
  insufficientCredit: (amount: number, available: number) =>
    ruleBroken('insufficient_credit', `Drawing ${amount} paise needs more than the ${available} paise available on the line`),
  expired: (expiresOn: string) => ruleBroken('credit_line_expired', `The credit line expired on ${expiresOn}`),
  overpayment: (amount: number, owed: number) =>
    ruleBroken('credit_overpayment', `A repayment of ${amount} paise is more than the ${owed} paise owed on the line`),
  notHeldByLender: (lender: CreditBorrower) =>
    ruleBroken('credit_line_not_held_by_lender', `The credit line is not held by the loan's lender (${lender.type} ${lender.id})`),
  bankReferenceReused: (bankReference: string) =>
    new DomainError('conflict', `Bank reference ${bankReference} is already recorded on this line for a different transaction`, 'conflict'),
  invalid: (field: string, message: string) =>
    new DomainError('validation_failed', `The request is invalid: ${field} ${message}`, 'validation', [{ field, message }]),
};
