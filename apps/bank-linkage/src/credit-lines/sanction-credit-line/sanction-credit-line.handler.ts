import type { IssuedCommand, UnitOfWork } from '@sangam/event-store';
import type { BankCommandHandler } from '../../banks/bank.command-handler';
import { requireBank } from '../../banks/domain/bank.decider';
import type { CreditLineCommandHandler } from '../credit-line.command-handler';
import type { CreditLineCommand } from '../domain/credit-line.decider';
import { borrowerSavings } from '../projections/borrower-savings.projection';
import { lockOpenLimits } from '../projections/sanctioned-limits';

type Sanction = Extract<CreditLineCommand, { type: 'SanctionCreditLine' }>;

/** A sanction as the route states it; the drawing power it is decided on is bank-linkage's to look up. */
export type SanctionRequest = IssuedCommand<{ type: Sanction['type']; data: Omit<Sanction['data'], 'drawingPower'> }>;

/**
 * Sanctions a line within the bank's drawing power for the borrower: its savings as bank-linkage
 * knows them times the bank's multiple, less the limits of its lines still open. One bank's
 * sanctions to one borrower queue on a lock, so each sees the limits the others left.
 */
export async function sanctionCreditLine(
  streams: { banks: BankCommandHandler; creditLines: CreditLineCommandHandler },
  unit: UnitOfWork,
  request: SanctionRequest,
): Promise<void> {
  const { creditLineId, bankId, borrower, sanctionedOn } = request.data;
  const bank = requireBank((await streams.banks.read(bankId, unit.manager)).state, bankId);
  const drawingPower = {
    maxSavingsMultiple: bank.maxSavingsMultiple,
    borrowerSavings: await borrowerSavings(unit.manager, borrower),
    openLimits: await lockOpenLimits(unit.manager, bankId, borrower, sanctionedOn),
  };
  await streams.creditLines.handle(unit, creditLineId, { ...request, data: { ...request.data, drawingPower } });
}
