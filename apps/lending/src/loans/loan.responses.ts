import { ApiProperty } from '@nestjs/swagger';
import { LoanErrors } from './domain/loan.errors';
import type { LoanState } from './domain/loan.decider';
import type { LoanStatus } from './domain/loan.events';

export const LOAN_STATUSES: LoanStatus[] = [
  'applied',
  'approved',
  'rejected',
  'disbursement_pending',
  'active',
  'funding_failed',
  'closed',
];

export class LoanStatusChange {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: LOAN_STATUSES })
  status: LoanStatus;
}

export function statusChange(id: string, state: LoanState): LoanStatusChange {
  if (state.status === 'none') throw LoanErrors.notFound(id);
  return { id, status: state.status };
}
