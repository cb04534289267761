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

/** A message to send and the partition it goes to. */
interface Placed {
  index: number;
  partition: number;
}

/** Consecutive runs of the messages, each within maxBytes (a single larger message goes alone). */
function chunked(placed: Placed[], messages: Message[], maxBytes: number): Placed[][] {
  const chunks: Placed[][] = [];
  let bytes = 0;
  for (const entry of placed) {
    const size = sizeOf(messages[entry.index]);
    if (chunks.length === 0 || bytes + size > maxBytes) {
      chunks.push([]);
      bytes = 0;
    }
    chunks[chunks.length - 1].push(entry);
    bytes += size;
  }
  return chunks;
}

/**
 * Sends messages so that a send's success means its records are on the brokers. The partition is
 * chosen here with the producer's own partitioner (murmur2 of the key, as Java's), and a send
 * carries the partitions of one leader (as last asked): one produce request for all of them, up to
 * 512 KiB, where a request per partition cost the broker six requests (and its consumers' fetches
 * six wake-ups) per relay batch. Each leader is a lane, a producer (a connection) of its own, so
 * leaders are sent to side by side; a lane's sends go one after another, in the messages' order,
 * stopping at its first failure. After a failure the leaders are asked again.
 *
 * kafkajs 2.2.4 can resolve a send without having written a partition whose leader died mid-send
 * (its retry skips a new leader that already answered for another partition: tulios/kafkajs#1303),
 * so every partition of a send must be answered without error, or the send counts as failed. A
 * failed send tells nothing of which of its partitions were written: none of its messages count
 * as acknowledged, and those that were written are sent again (at-least-once, as after a crash).
 * After a failed send the lane's producer is replaced: kafkajs would give the next batch the
 * failed one's sequence numbers, and if the failed one did reach the broker the broker would
 * acknowledge the next as its duplicate without writing it.
 */
export class LeaderLaneSender {
  private readonly lanes = new Map<number, Promise<Producer>>();
  private readonly partitions = new Map<string, PartitionMetadata[]>();
  /** Each partition's leader as last asked: asked again after a failed send, as a leader may have moved. */
  private readonly leaders = new Map<string, Map<number, number>>();
  private readonly partitioner = Partitioners.DefaultPartitioner();

  constructor(
    private readonly kafka: Kafka,
    private readonly newProducer: () => Producer = () => idempotentProducer(kafka),
    private readonly maxBytes = MAX_SEND_BYTES,
  ) {}

  async send(topic: string, messages: Message[]): Promise<SendOutcome> {
    if (messages.length === 0) return { acknowledged: [], failure: null };
    const byLane = await this.groupByLane(topic, messages);
    const outcomes = await Promise.all([...byLane].map(([lane, placed]) => this.sendLane(topic, lane, placed, messages)));
    const failedLanes = new Set(outcomes.filter((o) => o.failure !== null).map((o) => o.lane));
    if (failedLanes.size > 0) this.leaders.delete(topic);
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

  private async sendLane(topic: string, lane: number, placed: Placed[], messages: Message[]): Promise<SendOutcome & { lane: number }> {
    const acknowledged: number[] = [];
    for (const chunk of chunked(placed, messages, this.maxBytes)) {
      try {
        const producer = await this.connected(lane);
        const answers = await producer.send({
          topic,
          acks: -1,
          messages: chunk.map(({ index, partition }) => ({ ...messages[index], partition })),
        });
        // Each partition must be named in the answer: a resolved send that did not write one is the bug above.
        const unanswered = [...new Set(chunk.map((entry) => entry.partition))].filter(
          (partition) => !answers.some((answer) => answer.partition === partition && answer.errorCode === 0),
        );
        if (unanswered.length > 0) throw new Error(`no acknowledgement for ${topic}/${unanswered.join(',')}`);
      } catch (error) {
        return { lane, acknowledged, failure: error };
      }
      acknowledged.push(...chunk.map((entry) => entry.index));
    }
    return { lane, acknowledged, failure: null };
  }

  /**
   * The messages by lane (their partition's leader as last asked), each lane's in the order given.
   * Within a send a partition is on one lane; a send waits for all its lanes, so the next send may
   * put it on another (its new leader's).
   */
  private async groupByLane(topic: string, messages: Message[]): Promise<Map<number, Placed[]>> {
    const { partitionMetadata, leaders } = await this.placesOf(topic);
    const byLane = new Map<number, Placed[]>();
    messages.forEach((message, index) => {
      const partition = this.partitioner({ topic, partitionMetadata, message });
      const lane = leaders.get(partition) ?? 0;
      byLane.set(lane, [...(byLane.get(lane) ?? []), { index, partition }]);
    });
    return byLane;
  }

  /**
   * The partitions, as first asked: a topic's partition count never shrinks, and keys would move if
   * it grew. Their leaders, as last asked.
   */
  private async placesOf(topic: string): Promise<{ partitionMetadata: PartitionMetadata[]; leaders: Map<number, number> }> {
    let partitionMetadata = this.partitions.get(topic);
    let leaders = this.leaders.get(topic);
    if (!partitionMetadata || !leaders) {
      const asked = await this.askPartitions(topic);
      partitionMetadata ??= asked;
      leaders = new Map(asked.map((metadata) => [metadata.partitionId, metadata.leader]));
      this.partitions.set(topic, partitionMetadata);
      this.leaders.set(topic, leaders);
    }
    return { partitionMetadata, leaders };
  }

  private async askPartitions(topic: string): Promise<PartitionMetadata[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
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
