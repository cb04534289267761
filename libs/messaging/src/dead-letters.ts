import type { IHeaders, KafkaMessage, Producer } from 'kafkajs';
import { deadLetterTopic } from './topics';

export const DeadLetterHeaders = {
  consumer: 'dlq-consumer',
  error: 'dlq-error',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  failedAt: 'dlq-failed-at',
} as const;

export interface DeadLetter {
  consumer: string;
  topic: string;
  partition: number;
  message: KafkaMessage;
  error: unknown;
}

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);

/** Parks a message that retrying cannot fix on `<topic>.dlq`, with why and where it came from. */
export async function sendToDeadLetters(producer: Producer, letter: DeadLetter): Promise<void> {
  const headers: IHeaders = {
    ...letter.message.headers,
    [DeadLetterHeaders.consumer]: letter.consumer,
    [DeadLetterHeaders.error]: describe(letter.error),
    [DeadLetterHeaders.sourceTopic]: letter.topic,
    [DeadLetterHeaders.sourcePartition]: String(letter.partition),
    [DeadLetterHeaders.sourceOffset]: letter.message.offset,
    [DeadLetterHeaders.failedAt]: new Date().toISOString(),
  };
  await producer.send({
    topic: deadLetterTopic(letter.topic),
    acks: -1,
    messages: [{ key: letter.message.key, value: letter.message.value, headers }],
  });
}
