import type { DomainEvent } from '@sangam/domain';
import type { EventEnvelope } from '@sangam/messaging';
import type { PostgresEventStore } from './event-store';
import { toEnvelope, type StoredEvent } from './stored-event';

/**
 * The one edge where a service's domain events become the integration events it publishes
 * (libs/contracts): a consumer depends on these, never on the domain's own shapes.
 */
export interface PublishedLanguage {
  /** The integration event of a domain event: the identity while the two shapes coincide. */
  toIntegration(event: DomainEvent): DomainEvent;
  /** The schemaVersion the integration event is published at. */
  integrationVersion(type: string): number;
}

/** What the outbox relay and republish send for a stored event: read in its current domain shape, then mapped. */
export const publisherOf =
  (store: PostgresEventStore, language: PublishedLanguage) =>
  (stored: StoredEvent): EventEnvelope => {
    const { type, data } = language.toIntegration(store.upcast(stored));
    return { ...toEnvelope(stored), type, data, schemaVersion: language.integrationVersion(type) };
  };

/** Where and how a service's stored events are sent: `publish` defaults to the stored shape (tests and benchmarks whose events are their own). */
export interface EventPublication {
  topic: string;
  publish?: (stored: StoredEvent) => EventEnvelope;
}
