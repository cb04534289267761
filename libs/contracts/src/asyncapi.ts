import { bankLinkageEventContracts } from './bank-linkage.events';
import { Schema, type EventContract, type JsonSchema } from './event-contract';
import { groupsEventContracts } from './groups.events';
import { lendingEventContracts } from './lending.events';
import { INTEGRATION_UPCASTERS } from './upcasters';

export const ALL_EVENT_CONTRACTS: readonly EventContract[] = [
  ...groupsEventContracts,
  ...lendingEventContracts,
  ...bankLinkageEventContracts,
];

const envelopeSchema = (contract: EventContract): JsonSchema => ({
  type: 'object',
  description: contract.description,
  required: [
    'eventId',
    'type',
    'streamId',
    'streamVersion',
    'occurredAt',
    'recordedAt',
    'correlationId',
    'causationId',
    'actor',
    'schemaVersion',
    'data',
  ],
  additionalProperties: false,
  properties: {
    eventId: { type: 'string', format: 'uuid' },
    type: { type: 'string', enum: [contract.type] },
    streamId: { type: 'string', description: 'Aggregate id; also the Kafka message key' },
    streamVersion: { type: 'integer', minimum: 1 },
    occurredAt: { type: 'string', format: 'date-time' },
    recordedAt: { type: 'string', format: 'date-time' },
    correlationId: { type: 'string' },
    causationId: { type: ['string', 'null'] },
    actor: {
      description:
        'Who made it happen: { userId, username } of the access token, { bankId } for a signed bank webhook, { service } for a reaction; null only on events recorded before actors were kept',
      oneOf: [
        Schema.object({ userId: Schema.text('The token subject (sub)'), username: Schema.text('preferred_username') }),
        Schema.object({ bankId: Schema.uuid() }),
        Schema.object({ service: Schema.oneOf(['groups', 'lending', 'bank-linkage', 'reporting']) }),
        { type: 'null' },
      ],
    },
    schemaVersion: {
      type: 'integer',
      enum: [INTEGRATION_UPCASTERS.currentVersion(contract.type)],
      description: 'The shape of data; consumers read messages of older versions through the upcasters of libs/contracts',
    },
    data: contract.data,
  },
});

/** The AsyncAPI 3.0 document of every topic and event, built from the contracts so they cannot disagree. */
export function buildAsyncApiDocument(contracts: readonly EventContract[], version: string): object {
  const topics = [...new Set(contracts.map((c) => c.topic))].sort();
  const channelId = (topic: string) => topic.replace(/[^a-zA-Z0-9]+/g, '-');
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Sangam integration events',
      version,
      description:
        'Events each Sangam service publishes. Messages are keyed by streamId (one stream stays in order on one partition); ' +
        'headers repeat `type` and `eventId`. Money is integer paise; business dates are YYYY-MM-DD. Dead letters go to `<topic>.dlq`.',
    },
    defaultContentType: 'application/json',
    servers: { local: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'infra/kafka (KAFKA_BROKERS overrides)' } },
    channels: Object.fromEntries(
      topics.map((topic) => [
        channelId(topic),
        {
          address: topic,
          messages: Object.fromEntries(
            contracts.filter((c) => c.topic === topic).map((c) => [c.type, { $ref: `#/components/messages/${c.type}` }]),
          ),
          bindings: { kafka: { partitions: 6 } },
        },
      ]),
    ),
    operations: Object.fromEntries(
      topics.map((topic) => [`publish-${channelId(topic)}`, { action: 'send', channel: { $ref: `#/channels/${channelId(topic)}` } }]),
    ),
    components: {
      messages: Object.fromEntries(
        contracts.map((c) => [
          c.type,
          {
            name: c.type,
            summary: c.description,
            headers: {
              type: 'object',
              properties: { type: { type: 'string', enum: [c.type] }, eventId: { type: 'string', format: 'uuid' } },
            },
            payload: envelopeSchema(c),
          },
        ]),
      ),
    },
  };
}
