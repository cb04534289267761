import type { Message, Producer } from 'kafkajs';

/**
 * What one send may carry. The broker refuses a record batch over its `max.message.bytes`
 * (1 MiB by default), and one stream's events share a key and so a partition and a batch: a
 * network's fee assessment of 2,000 SHGs would otherwise never be published.
 */
export const MAX_SEND_BYTES = 512 * 1024;

const sizeOf = (message: Message): number =>
  Buffer.byteLength(message.value ?? '') +
  Buffer.byteLength(message.key ?? '') +
  Object.entries(message.headers ?? {}).reduce((sum, [name, value]) => sum + name.length + Buffer.byteLength(String(value ?? '')), 0) +
  64;

/** Sends the messages in their order, one send after another, each within MAX_SEND_BYTES (a single larger message goes alone). */
export async function sendInOrder(producer: Producer, topic: string, messages: Message[], maxBytes = MAX_SEND_BYTES): Promise<void> {
  let chunk: Message[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = sizeOf(message);
    if (chunk.length > 0 && bytes + size > maxBytes) {
      await producer.send({ topic, acks: -1, messages: chunk });
      [chunk, bytes] = [[], 0];
    }
    chunk.push(message);
    bytes += size;
  }
  if (chunk.length > 0) await producer.send({ topic, acks: -1, messages: chunk });
}
