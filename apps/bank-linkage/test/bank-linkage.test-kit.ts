import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { Topics } from '@sangam/messaging';
import { startService, waitFor, type EventPublisher, type EventToPublish, type HttpClient, type RunningService } from '@sangam/testing';
import { BANK_LINKAGE_START_OPTIONS, BankLinkageModule } from '../src/bank-linkage.module';

export const startBankLinkage = (databasePrefix: string): Promise<RunningService> =>
  startService('bank-linkage', (config) => BankLinkageModule.forRoot(config), { ...BANK_LINKAGE_START_OPTIONS, databasePrefix });

/** A network of groups whose common fund holds `fund` paise (one fee payment and one contribution). */
export function fundedNetwork(networkId: string, fund: number): EventToPublish[] {
  const shgId = randomUUID();
  const fee = Math.min(30000, fund);
  return [
    {
      type: 'NetworkFormed',
      streamId: networkId,
      data: { networkId, name: 'Sindhudurg', cluster: 'Kudal', formedOn: '2005-04-01', annualFee: 30000 },
    },
    {
      type: 'AnnualFeePaid',
      streamId: networkId,
      data: { networkId, shgId, paymentId: randomUUID(), year: 2005, amount: fee, paidOn: '2005-05-01' },
    },
    ...(fund > fee
      ? [
          {
            type: 'FundContributed',
            streamId: networkId,
            data: { networkId, shgId, contributionId: randomUUID(), amount: fund - fee, contributedOn: '2005-05-02' },
          },
        ]
      : []),
  ];
}

export async function registerBank(api: HttpClient, maxSavingsMultiple: number): Promise<{ id: string; webhookSecret: string }> {
  const { status, body } = await api.post('/banks', { name: 'State Bank of India', branch: 'Kudal', maxSavingsMultiple });
  expect(status).toBe(201);
  return body;
}

/** Sanctions once the drawing power that groups' events gave the borrower has reached bank-linkage. */
export async function sanctionWhenFunded(api: HttpClient, terms: Record<string, unknown>): Promise<string> {
  const { body } = await waitFor(async () => {
    const answer = await api.post('/credit-lines', terms);
    expect(answer.status).toBe(201);
    return answer;
  });
  return body.id;
}

/** A network with `fund` in its common fund, known to bank-linkage, and a line sanctioned to it. */
export async function sanctionedLine(
  api: HttpClient,
  events: EventPublisher,
  bankId: string,
  limit: number,
  overrides: Record<string, unknown> = {},
) {
  const networkId = randomUUID();
  await events.publish(Topics.groups, ...fundedNetwork(networkId, limit));
  const creditLineId = await sanctionWhenFunded(api, {
    bankId,
    borrower: { type: 'network', id: networkId },
    limit,
    annualInterestRateBps: 900,
    sanctionedOn: '2005-07-01',
    expiresOn: '2075-06-30',
    ...overrides,
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

export const sendWebhook = (api: HttpClient, bankId: string, delivery: { body: string; headers: Record<string, string> }) =>
  api.post(`/webhooks/banks/${bankId}`, delivery.body, delivery.headers);
