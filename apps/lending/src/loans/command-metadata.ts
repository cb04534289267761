import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { EventMetadata } from '@sangam/event-store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A request starts a correlation (or joins the caller's, sent as a UUID in `x-correlation-id`);
 * a dated business fact occurred on its date.
 */
export function commandMetadata(request: Request, businessDate?: string): EventMetadata {
  const header = request.headers['x-correlation-id'];
  return {
    correlationId: typeof header === 'string' && UUID.test(header) ? header : randomUUID(),
    causationId: null,
    occurredAt: businessDate ? `${businessDate}T00:00:00.000Z` : undefined,
  };
}
