/** The services' public APIs, called with the signed-in user's token: every scope rule holds here too. */
export interface Services {
  groups: string;
  lending: string;
  bankLinkage: string;
  reporting: string;
}
export type Service = keyof Services;

/** The contract's error shape. */
export interface ErrorBody {
  error: string;
  message: string;
  details?: unknown[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
}

export interface Answer {
  status: number;
  /** The parsed JSON answer (`null` when empty): an `ErrorBody` when the status is not a success. */
  body: unknown;
}

export class Api {
  constructor(
    private readonly services: Services,
    private readonly token: () => Promise<string>,
  ) {}

  /** Rejects with a TypeError when the connection fails: the caller cannot know whether the server acted. */
  async send(method: 'GET' | 'POST', service: Service, path: string, body?: unknown, idempotencyKey?: string): Promise<Answer> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.token()}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const response = await fetch(`${this.services[service]}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
  }

  async get<T>(service: Service, path: string): Promise<T> {
    const answer = await this.send('GET', service, path);
    if (answer.status !== 200)
      throw new ApiError(answer.status, (answer.body as ErrorBody | null) ?? { error: 'unknown', message: `HTTP ${answer.status}` });
    return answer.body as T;
  }
}
