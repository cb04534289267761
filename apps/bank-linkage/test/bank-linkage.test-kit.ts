import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import { bankLinkageEventContracts, type JsonSchema } from '@sangam/contracts';
import { encodeEnvelope, Topics, type EventEnvelope } from '@sangam/messaging';
import { startService, testKafka, waitFor, type RunningService } from '@sangam/testing';
import { BANK_LINKAGE_START_OPTIONS, BankLinkageModule } from '../src/bank-linkage.module';

export const startBankLinkage = (databasePrefix: string): Promise<RunningService> =>
  startService('bank-linkage', (config) => BankLinkageModule.forRoot(config), { ...BANK_LINKAGE_START_OPTIONS, databasePrefix });

export interface Answer {
  status: number;
  body: any;
}

export const http = (baseUrl: string) => {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown = {}, headers?: Record<string, string>) => call('POST', path, body, headers),
  };
};

export type Http = ReturnType<typeof http>;

/** Publishes contract envelopes the way another service's outbox relay would (keyed by stream id). */
export class ContractEvents {
  private producer: Producer | null = null;

  /** Answers each envelope sent with where it landed; sending an answered one again redelivers it as is. */
  async publish(topic: string, ...events: Partial<EventEnvelope>[]): Promise<(EventEnvelope<any> & { partition: number; offset: string })[]> {
    if (!this.producer) {
      this.producer = testKafka().producer();
      await this.producer.connect();
    }
    const now = new Date().toISOString();
    const envelopes = events.map((event): EventEnvelope => {
      const { eventId = randomUUID(), type = 'Unknown', streamId = randomUUID(), streamVersion = 1, correlationId = randomUUID(), causationId = null, data = {} } = event;
      return { eventId, type, streamId, streamVersion, occurredAt: now, recordedAt: now, correlationId, causationId, schemaVersion: 1, data };
    });
    const sent = [];
    for (const envelope of envelopes) {
      const [record] = await this.producer.send({ topic, acks: -1, messages: [encodeEnvelope(envelope)] });
      sent.push({ ...envelope, partition: record.partition, offset: String(record.baseOffset) });
    }
    return sent;
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
  }
}

/** A network of groups whose common fund holds `fund` paise (one fee payment and one contribution). */
export function fundedNetwork(networkId: string, fund: number): Partial<EventEnvelope>[] {
  const shgId = randomUUID();
  const fee = Math.min(30000, fund);
  return [
    { type: 'NetworkFormed', streamId: networkId, data: { networkId, name: 'Sindhudurg', cluster: 'Kudal', formedOn: '2005-04-01', annualFee: 30000 } },
    { type: 'AnnualFeePaid', streamId: networkId, data: { networkId, shgId, paymentId: randomUUID(), year: 2005, amount: fee, paidOn: '2005-05-01' } },
    ...(fund > fee
      ? [{ type: 'FundContributed', streamId: networkId, data: { networkId, shgId, contributionId: randomUUID(), amount: fund - fee, contributedOn: '2005-05-02' } }]
      : []),
  ];
}

export async function registerBank(api: Http, maxSavingsMultiple: number): Promise<{ id: string; webhookSecret: string }> {
  const { status, body } = await api.post('/banks', { name: 'State Bank of India', branch: 'Kudal', maxSavingsMultiple });
  expect(status).toBe(201);
  return body;
}

/** Sanctions once the drawing power that groups' events gave the borrower has reached bank-linkage. */
export async function sanctionWhenFunded(api: Http, terms: Record<string, unknown>): Promise<string> {
  const { body } = await waitFor(async () => {
    const answer = await api.post('/credit-lines', terms);
    expect(answer.status).toBe(201);
    return answer;
  });
  return body.id;
}

/** A network with `fund` in its common fund, known to bank-linkage, and a line sanctioned to it. */
export async function sanctionedLine(api: Http, events: ContractEvents, bankId: string, limit: number, overrides: Record<string, unknown> = {}) {
  const networkId = randomUUID();
  await events.publish(Topics.groups, ...fundedNetwork(networkId, limit));
  const creditLineId = await sanctionWhenFunded(api, {
    bankId, borrower: { type: 'network', id: networkId }, limit, annualInterestRateBps: 900, sanctionedOn: '2005-07-01', expiresOn: '2099-06-30', ...overrides,
  });
  return { creditLineId, networkId };
}

export interface SigningOptions {
  webhookId?: string;
  timestamp?: number;
}

/** Headers and body of a delivery signed by the reference Standard Webhooks implementation. */
export function signedDelivery(secret: string, payload: unknown, options: SigningOptions = {}) {
  const webhookId = options.webhookId ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const signature = new Webhook(secret).sign(webhookId, new Date(timestamp * 1000), body);
  return { body, headers: { 'webhook-id': webhookId, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature } };
}

export const notification = (type: string, creditLineId: string, amount: number, bankReference: string, valueDate = '2005-11-14') => ({
  type,
  data: { creditLineId, amount, valueDate, bankReference },
});

export const sendWebhook = (api: Http, bankId: string, delivery: { body: string; headers: Record<string, string> }) =>
  api.post(`/webhooks/banks/${bankId}`, delivery.body, delivery.headers);

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
};

/** Where a value disagrees with a schema of the contracts (the subset of JSON Schema they use). */
function schemaViolations(schema: JsonSchema, value: unknown, path: string): string[] {
  if (schema.oneOf) return schema.oneOf.some((s) => schemaViolations(s, value, path).length === 0) ? [] : [`${path} = ${JSON.stringify(value)}`];
  const bad = [`${path} = ${JSON.stringify(value)}`];
  switch (schema.type) {
    case 'null':
      return value === null ? [] : bad;
    case 'integer':
      return Number.isSafeInteger(value) && (schema.minimum === undefined || (value as number) >= schema.minimum) ? [] : bad;
    case 'string':
      return typeof value === 'string' && (!schema.format || FORMATS[schema.format].test(value)) && (!schema.enum || schema.enum.includes(value)) ? [] : bad;
    case 'object': {
      if (typeof value !== 'object' || value === null) return bad;
      const properties = schema.properties ?? {};
      const record = value as Record<string, unknown>;
      return [
        ...(schema.required ?? []).filter((key) => !(key in record)).map((key) => `${path}.${key} missing`),
        ...Object.keys(record).filter((key) => !(key in properties)).map((key) => `${path}.${key} undocumented`),
        ...Object.entries(properties).flatMap(([key, inner]) => (key in record ? schemaViolations(inner, record[key], `${path}.${key}`) : [])),
      ];
    }
    default:
      return [];
  }
}

/** What in a bank-linkage event disagrees with its documented contract. */
export function contractViolations(event: { type: string; data: unknown }): string[] {
  const contract = bankLinkageEventContracts.find((c) => c.type === event.type);
  return contract ? schemaViolations(contract.data, event.data, event.type) : [`${event.type} is not documented`];
}
