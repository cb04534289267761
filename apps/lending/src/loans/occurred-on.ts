import type { CommandMetadata } from '@sangam/domain';

/** A dated business fact (an approval, a disbursement, a repayment) occurred on its date, whenever it is recorded. */
export const occurredOn = (metadata: CommandMetadata, businessDate: string): CommandMetadata => ({
  ...metadata,
  occurredAt: `${businessDate}T00:00:00.000Z`,
});
