import { UpcasterChain } from '@sangam/domain';
import { lendingUpcasters } from './lending.events';

/**
 * Every integration event type's history: a consumer reads a message published at an older
 * schemaVersion in the shape documented here (applied once, where consumers receive events).
 */
export const INTEGRATION_UPCASTERS = new UpcasterChain([...lendingUpcasters]);
