import { INTEGRATION_UPCASTERS } from '@sangam/contracts';
import type { DomainEvent } from '@sangam/domain';
import type { PublishedLanguage } from '@sangam/event-store';

/**
 * A service's published language from its map of domain events to the integration events of
 * libs/contracts, published at their current schemaVersion. Typing the map keeps the two apart:
 * a domain event that no longer has its integration event's shape does not compile until mapped.
 */
export const publishedLanguage = <Domain extends DomainEvent, Integration extends DomainEvent>(
  toIntegration: (event: Domain) => Integration,
): PublishedLanguage => ({
  // The relay hands over only the service's own stored events, which are of type Domain.
  toIntegration: (event) => toIntegration(event as Domain),
  integrationVersion: (type) => INTEGRATION_UPCASTERS.currentVersion(type),
});
