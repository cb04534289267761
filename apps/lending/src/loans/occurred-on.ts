import type { EventMetadata } from '@sangam/event-store';

/** A dated business fact (an approval, a disbursement, a repayment) occurred on its date, whenever it is recorded. */
export const occurredOn = (metadata: EventMetadata, businessDate: string): EventMetadata => ({
  ...metadata,
  occurredAt: `${businessDate}T00:00:00.000Z`,
});
