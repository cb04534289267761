import { Partitioners, type Kafka, type Message, type PartitionMetadata, type Producer } from 'kafkajs';

/**
 * What one send may carry. The broker refuses a record batch over its `max.message.bytes`
 * (1 MiB by default), and one stream's events share a key and so a partition and a batch: a
 * network's fee assessment of 2,000 SHGs would otherwise never be published.
 */
export const MAX_SEND_BYTES = 512 * 1024;

/** Which of the messages the brokers acknowledged (their indexes), and the first failure if any. */
export interface SendOutcome {
  acknowledged: number[];
  failure: unknown;
}

export const idempotentProducer = (kafka: Kafka): Producer => kafka.producer({ idempotent: true, maxInFlightRequests: 1 });

const sizeOf = (message: Message): number =>
  Buffer.byteLength(message.value ?? '') +
  Buffer.byteLength(message.key ?? '') +
  Object.entries(message.headers ?? {}).reduce((sum, [name, value]) => sum + name.length + Buffer.byteLength(String(value ?? '')), 0) +
  64;

/** Consecutive runs of the indexes, each within maxBytes (a single larger message goes alone). */
function chunked(indexes: number[], messages: Message[], maxBytes: number): number[][] {
  const chunks: number[][] = [];
  let bytes = 0;
  for (const index of indexes) {
    const size = sizeOf(messages[index]);
    if (chunks.length === 0 || bytes + size > maxBytes) {
      chunks.push([]);
      bytes = 0;
    }
    chunks[chunks.length - 1].push(index);
    bytes += size;
  }
  return chunks;
}

/**
 * Partitions sent side by side, each lane a producer (a connection) of its own. An idempotent
 * producer keeps one request in flight per connection, and a broker answers one connection's
 * requests in order: on one producer a batch spanning six partitions waited for six
 * acknowledgements one after another.
 */
export const SEND_LANES = 6;

/**
 * Sends messages so that a send's success means exactly its records are on the brokers. kafkajs
 * 2.2.4 can resolve a send spanning partitions of several leaders without having written the part
 * whose leader died mid-send (its retry skips a new leader that already answered for another
 * partition: tulios/kafkajs#1303), so every send here carries one partition, and the partition is
 * chosen here with the producer's own partitioner (murmur2 of the key, as Java's). Each partition's
 * messages go in their order, one send after another, stopping at its first failure; partitions
 * go side by side, a partition always on the same lane. After a failed send the lane's producer is
 * replaced: kafkajs would give the next batch the failed one's sequence numbers, and if the failed
 * one did reach the broker the broker would acknowledge the next as its duplicate without writing it.
 */
export class PerPartitionSender {
  private readonly lanes = new Map<number, Promise<Producer>>();
  private readonly partitions = new Map<string, PartitionMetadata[]>();
  private readonly partitioner = Partitioners.DefaultPartitioner();

  constructor(
    private readonly kafka: Kafka,
    private readonly newProducer: () => Producer = () => idempotentProducer(kafka),
    private readonly maxBytes = MAX_SEND_BYTES,
    private readonly laneCount = SEND_LANES,
  ) {}

  async send(topic: string, messages: Message[]): Promise<SendOutcome> {
    if (messages.length === 0) return { acknowledged: [], failure: null };
    const byPartition = await this.groupByPartition(topic, messages);
    const outcomes = await Promise.all(
      [...byPartition].map(([partition, indexes]) => this.sendPartition(topic, partition, indexes, messages)),
    );
    // Replaced once every send is over: a lane's other partitions may still have been sending on it.
    const failedLanes = new Set(outcomes.filter((o) => o.failure !== null).map((o) => o.lane));
    await Promise.all([...failedLanes].map((lane) => this.replaceProducer(lane)));
    const failure = outcomes.find((o) => o.failure !== null)?.failure ?? null;
    return { acknowledged: outcomes.flatMap((o) => o.acknowledged).sort((a, b) => a - b), failure };
  }

  /** Sends everything or throws: for callers that start again from the beginning on failure. */
  async sendAll(topic: string, messages: Message[]): Promise<void> {
    const { failure } = await this.send(topic, messages);
    if (failure !== null) throw failure instanceof Error ? failure : new Error('The send failed with a non-error', { cause: failure });
  }

  async close(): Promise<void> {
    await Promise.all([...this.lanes.keys()].map((lane) => this.replaceProducer(lane)));
  }

  private async sendPartition(
    topic: string,
    partition: number,
    indexes: number[],
    messages: Message[],
  ): Promise<SendOutcome & { lane: number }> {
    const lane = partition % this.laneCount;
    const acknowledged: number[] = [];
    for (const chunk of chunked(indexes, messages, this.maxBytes)) {
      try {
        const producer = await this.connected(lane);
        const answers = await producer.send({ topic, acks: -1, messages: chunk.map((i) => ({ ...messages[i], partition })) });
        // The answer must name this partition: a resolved send that did not write it is the bug above.
        if (!answers.some((a) => a.partition === partition && a.errorCode === 0))
          throw new Error(`no acknowledgement for ${topic}/${partition}`);
      } catch (error) {
        return { lane, acknowledged, failure: error };
      }
      acknowledged.push(...chunk);
    }
    return { lane, acknowledged, failure: null };
  }

  private async groupByPartition(topic: string, messages: Message[]): Promise<Map<number, number[]>> {
    const partitionMetadata = await this.partitionsOf(topic);
    const byPartition = new Map<number, number[]>();
    messages.forEach((message, index) => {
      const partition = this.partitioner({ topic, partitionMetadata, message });
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), index]);
    });
    return byPartition;
  }

  /** Asked once per topic: a topic's partition count never shrinks, and keys would move if it grew. */
  private async partitionsOf(topic: string): Promise<PartitionMetadata[]> {
    const known = this.partitions.get(topic);
    if (known) return known;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      this.partitions.set(topic, metadata.partitions);
      return metadata.partitions;
    } finally {
      await admin.disconnect();
    }
  }

  private connected(lane: number): Promise<Producer> {
    let connecting = this.lanes.get(lane);
    if (!connecting) {
      const producer = this.newProducer();
      const connected = producer.connect().then(() => producer);
      connecting = connected;
      this.lanes.set(lane, connected);
      // A connect that failed is not kept: the next send tries a new producer.
      connected.catch(() => {
        if (this.lanes.get(lane) === connected) this.lanes.delete(lane);
      });
    }
    return connecting;
  }

  private async replaceProducer(lane: number): Promise<void> {
    const previous = this.lanes.get(lane);
    this.lanes.delete(lane);
    await previous?.then((producer) => producer.disconnect()).catch(() => undefined);
  }
}
