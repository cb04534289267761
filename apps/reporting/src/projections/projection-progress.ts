import type { Admin } from 'kafkajs';
import type { EntityManager } from 'typeorm';

export interface PartitionProgress {
  topic: string;
  partition: number;
  /** The next offset the consumer will apply (its stored checkpoint). */
  offset: number;
  endOffset: number;
  lag: number;
}

export interface GenerationProgress {
  lag: number;
  /** Events applied (or skipped as duplicates) out of all the topics hold, for progress bars. */
  applied: number;
  total: number;
  partitions: PartitionProgress[];
}

/** How far a generation's consumer is through its topics, from its stored checkpoints and the topics' offsets. */
export async function generationProgress(
  manager: EntityManager,
  admin: Admin,
  consumer: string,
  topics: readonly string[],
): Promise<GenerationProgress> {
  const rows: { topic: string; partition: number; next_offset: string }[] = await manager.query(
    `SELECT topic, partition, next_offset FROM public.consumer_checkpoints WHERE consumer = $1`,
    [consumer],
  );
  const checkpoints = new Map(rows.map((row) => [`${row.topic}:${row.partition}`, Number(row.next_offset)]));
  const partitions: PartitionProgress[] = [];
  let applied = 0;
  let total = 0;
  for (const topic of topics) {
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      const [endOffset, startOffset] = [Number(high), Number(low)];
      const offset = checkpoints.get(`${topic}:${partition}`) ?? 0;
      const position = Math.min(Math.max(offset, startOffset), endOffset);
      partitions.push({ topic, partition, offset, endOffset, lag: endOffset - position });
      applied += position - startOffset;
      total += endOffset - startOffset;
    }
  }
  partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  return { lag: total - applied, applied, total, partitions };
}
