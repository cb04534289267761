import type { Admin, Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { INTEGRATION_UPCASTERS } from '@sangam/contracts';
import { CheckpointedConsumer, type CheckpointedConsumerOptions } from '@sangam/messaging';
import { enterGeneration } from './generations';
import { applyEvents, batchOf, consumerNameOf, type Projection, type TopicNames } from './projection';

/** What running, rebuilding and reporting on projections needs, in the service and in the replay command alike. */
export interface ProjectionContext {
  dataSource: DataSource;
  kafka: Kafka;
  admin: Admin;
  /** Dead letters. */
  producer: Producer;
  /** Prefixes consumer groups, as the platform's ConsumerHost does, so that two deployments on one broker never share one. */
  groupPrefix: string;
  topics: TopicNames;
  log?: CheckpointedConsumerOptions['log'];
  /** The service's lag metric for one projection (a replay's consumers are not measured). */
  observeLag?: (projection: string) => CheckpointedConsumerOptions['onApplied'];
}

export const topicsOf = (context: ProjectionContext, projection: Projection): string[] =>
  projection.topics.map((key) => context.topics[key]);

/** The consumer that fills one generation of a projection; its checkpoints are named after the generation. */
export function generationConsumer(context: ProjectionContext, projection: Projection, generation: number): CheckpointedConsumer {
  const name = consumerNameOf(projection.name, generation);
  return new CheckpointedConsumer(context.kafka, context.dataSource, context.producer, {
    name,
    groupId: `${context.groupPrefix}.${name}`,
    topics: topicsOf(context, projection),
    // Rows are keyed by stream and a stream stays on one partition, so concurrent partitions never wait on each other's rows.
    partitionsConsumedConcurrently: 3,
    // Sums would count a redelivered or republished event twice; keys, facts and maxima would not.
    deduplicate: !projection.tables.every((table) => table.idempotent),
    log: context.log,
    onApplied: context.observeLag?.(projection.name),
    upcast: (envelope) => INTEGRATION_UPCASTERS.upcast(envelope),
    appliesTo: (envelope) => !batchOf(projection, [envelope]).isEmpty,
    handle: async (events, manager) => {
      if (events.length === 0 || !(await enterGeneration(manager, projection.name, generation))) return;
      await applyEvents(
        projection,
        manager,
        events.map((e) => e.envelope),
      );
    },
  });
}
