import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { tokenFor, type DevUser } from '../../libs/testing/src/dev-tokens';

export interface ServiceUrls {
  groups: string;
  lending: string;
  bankLinkage: string;
  reporting: string;
}

export const localUrls = (): ServiceUrls => ({
  groups: `http://127.0.0.1:${process.env.GROUPS_PORT ?? 3001}`,
  lending: `http://127.0.0.1:${process.env.LENDING_PORT ?? 3002}`,
  bankLinkage: `http://127.0.0.1:${process.env.BANK_LINKAGE_PORT ?? 3003}`,
  reporting: `http://127.0.0.1:${process.env.REPORTING_PORT ?? 3004}`,
});

export interface Answer {
  status: number;
  body: any;
}

export class UnexpectedAnswer extends Error {
  constructor(
    readonly request: string,
    readonly answer: Answer,
  ) {
    super(`${request} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
}

/**
 * A client of the public API, as a field app or a bank would write one: signed in as a development
 * user of the local realm (`as` gives the same client for another user), every POST carries an
 * Idempotency-Key.
 */
export class SangamClient {
  constructor(
    readonly urls: ServiceUrls,
    readonly user: DevUser = 'admin',
  ) {}

  as(user: DevUser): SangamClient {
    return new SangamClient(this.urls, user);
  }

  /** Honours 503 + Retry-After a few times, as a careful client does (a POST carries its Idempotency-Key, so a retry is safe). */
  async call(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      const { retryAfter, ...answer } = await this.callOnce(method, url, body, headers);
      if (answer.status !== 503 || attempt === 5) return answer;
      await new Promise((resolve) => setTimeout(resolve, 1000 * Number(retryAfter ?? 2)));
    }
  }

  private async callOnce(
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<Answer & { retryAfter?: string }> {
    const signedIn = url.includes('/webhooks/banks/') ? headers : { authorization: `Bearer ${await tokenFor(this.user)}`, ...headers };
    const response = await fetch(url, {
      method,
      headers: body === undefined ? signedIn : { 'content-type': 'application/json', ...signedIn },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, retryAfter: response.headers.get('retry-after') ?? undefined };
  }

  /** POSTs and insists on the expected status. */
  async post(url: string, body: unknown, expected = 201): Promise<any> {
    const answer = await this.call('POST', url, body, { 'Idempotency-Key': randomUUID() });
    if (answer.status !== expected) throw new UnexpectedAnswer(`POST ${url}`, answer);
    return answer.body;
  }

  /**
   * POSTs a command that depends on another service having caught up (lending learns of network
   * members from groups' events, bank-linkage of savings): refusals with the given codes are
   * retried, each with a fresh Idempotency-Key, until the facts have arrived.
   */
  async postOnceKnown(url: string, body: unknown, untilNot: string[], expected = 201): Promise<any> {
    return eventually(async () => {
      const answer = await this.call('POST', url, body, { 'Idempotency-Key': randomUUID() });
      if (answer.status === expected) return answer.body;
      const error = new UnexpectedAnswer(`POST ${url}`, answer);
      if (!untilNot.includes(answer.body?.error)) throw Object.assign(error, { final: true });
      throw error;
    }, `POST ${url}`);
  }

  async get(url: string): Promise<any> {
    const answer = await this.call('GET', url);
    if (answer.status !== 200) throw new UnexpectedAnswer(`GET ${url}`, answer);
    return answer.body;
  }

  /** Delivers a bank notification signed with the Standard Webhooks reference implementation. */
  async webhook(bankId: string, secret: string, payload: unknown, webhookId = `msg_${randomUUID()}`): Promise<Answer> {
    const body = JSON.stringify(payload);
    const now = new Date();
    const signature = new Webhook(secret).sign(webhookId, now, body);
    return this.call('POST', `${this.urls.bankLinkage}/webhooks/banks/${bankId}`, body, {
      'content-type': 'application/json',
      'webhook-id': webhookId,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    });
  }
}

/** Eventual consistency: polls until `check` returns without throwing. */
export async function eventually<T>(check: () => Promise<T>, what: string, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if ((error as { final?: boolean }).final) throw error;
      if (Date.now() > deadline)
        throw new Error(`gave up waiting for ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
