import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope, Topics } from '@sangam/messaging';
import { ProjectionBatch, type CommutativeTable } from './commutative-table';

export type TopicKey = keyof typeof Topics;
export type TopicNames = Readonly<Record<TopicKey, string>>;

export interface Projection {
  readonly name: string;
  /** Tells this projection's rebuild lock apart from the others'. */
  readonly lockKey: number;
  readonly topics: readonly TopicKey[];
  /** In flush order. Each generation of the projection creates them in a schema of its own. */
  readonly tables: readonly CommutativeTable[];
  /** Adds what one event changes to the batch; events the projection does not use change nothing. */
  project(envelope: EventEnvelope, batch: ProjectionBatch): void;
}

export const schemaOf = (projection: string, generation: number): string => `rpt_${projection.replace(/-/g, '_')}_g${generation}`;

export const consumerNameOf = (projection: string, generation: number): string => `${projection}.g${generation}`;

export const tablesDdl = (projection: Projection): string[] => projection.tables.flatMap((table) => [...table.ddl]);

/** Tells the tables of one version of a projection from another's: a generation built to another shape cannot answer this code's reads. */
export const shapeOf = (projection: Projection): string =>
  createHash('sha256').update(tablesDdl(projection).join(';\n')).digest('hex').slice(0, 16);

export function batchOf(projection: Projection, envelopes: readonly EventEnvelope[]): ProjectionBatch {
  const batch = new ProjectionBatch();
  for (const envelope of envelopes) projection.project(envelope, batch);
  return batch;
}

/** Applies a batch of events to the tables on the transaction's search_path. */
export async function applyEvents(projection: Projection, manager: EntityManager, envelopes: readonly EventEnvelope[]): Promise<void> {
  await batchOf(projection, envelopes).flush(manager, projection.tables);
}
