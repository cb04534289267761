import { beginRebuild, RebuildLock, swapIn } from '../projections/generations';
import { consumerNameOf, type Projection } from '../projections/projection';
import { generationConsumer, topicsOf, type ProjectionContext } from '../projections/projection-context';
import { generationProgress, type GenerationProgress } from '../projections/projection-progress';

export class RebuildRefused extends Error {
  constructor(projection: string) {
    super(`a rebuild of ${projection} is already running`);
    this.name = 'RebuildRefused';
  }
}

export interface RebuildOptions {
  /** Discard what an interrupted rebuild left and start again from offset 0. */
  fromBeginning?: boolean;
  /** Stops the rebuild and keeps its shadow generation, for the next run to resume. */
  signal?: AbortSignal;
  onStart?: (projection: Projection, generation: number, resumed: boolean) => void;
  onProgress?: (projection: Projection, progress: GenerationProgress) => void;
  pollMs?: number;
}

export interface RebuildSummary {
  projection: string;
  generation: number;
  replacedGeneration: number | null;
  resumed: boolean;
  /** Events applied by this run (a resumed run counts only its own). */
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** False when the signal stopped the rebuild before it caught up: running it again resumes. */
  swapped: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rebuilds and swaps one projection; its consumer is left stopping (its last fetch may wait on the broker for seconds). */
async function rebuildOne(
  context: ProjectionContext,
  projection: Projection,
  options: RebuildOptions,
): Promise<{ summary: RebuildSummary; stopping: Promise<void> }> {
  const { generation, resumed } = await beginRebuild(context.dataSource, projection, options.fromBeginning ?? false);
  options.onStart?.(projection, generation, resumed);
  const progressOf = () =>
    generationProgress(
      context.dataSource.manager,
      context.admin,
      consumerNameOf(projection.name, generation),
      topicsOf(context, projection),
    );
  const startedAt = process.hrtime.bigint();
  const before = await progressOf();
  let progress = before;
  let replacedGeneration: number | null = null;
  const consumer = generationConsumer(context, projection, generation);
  await consumer.start();
  try {
    while (!options.signal?.aborted) {
      progress = await progressOf();
      options.onProgress?.(projection, progress);
      if (progress.lag === 0) break;
      await sleep(options.pollMs ?? 200);
    }
    // Swapping while the consumer still runs is safe: what it applies from now on goes to the now-live generation.
    if (progress.lag === 0) replacedGeneration = await swapIn(context.dataSource, projection.name, generation);
  } catch (error) {
    await consumer.stop();
    throw error;
  }
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const events = progress.applied - before.applied;
  return {
    summary: {
      projection: projection.name,
      generation,
      replacedGeneration,
      resumed,
      events,
      seconds,
      eventsPerSecond: Math.round(events / seconds),
      swapped: replacedGeneration !== null,
    },
    stopping: consumer.stop(),
  };
}

/**
 * Rebuilds each projection into a shadow generation from the start of its topics while the live
 * generation keeps answering, then swaps it in once it has caught up. Refused (before anything
 * starts) when any of them is already being rebuilt.
 */
export async function rebuild(
  context: ProjectionContext,
  projections: readonly Projection[],
  options: RebuildOptions = {},
): Promise<RebuildSummary[]> {
  const locks: RebuildLock[] = [];
  const stopping: Promise<void>[] = [];
  try {
    for (const projection of projections) {
      const lock = await RebuildLock.tryAcquire(context.dataSource, projection);
      if (!lock) throw new RebuildRefused(projection.name);
      locks.push(lock);
    }
    const summaries: RebuildSummary[] = [];
    for (const projection of projections) {
      if (options.signal?.aborted) break;
      const { summary, stopping: stopped } = await rebuildOne(context, projection, options);
      summaries.push(summary);
      stopping.push(stopped);
    }
    return summaries;
  } finally {
    await Promise.all(stopping);
    await Promise.all(locks.map((lock) => lock.release()));
  }
}
