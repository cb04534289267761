import { tokenFor, type DevUser } from './dev-tokens';

export interface Answer<T = any> {
  status: number;
  body: T;
}

/**
 * A service's HTTP API as a client calls it: JSON in (a string or Buffer goes as it is) and the
 * status with the JSON answer out, signed in as a development user (`admin` unless told; null
 * sends no token). An explicit `authorization` header wins.
 */
export function httpClient(url: string, as: DevUser | null = 'admin') {
  const request = async <T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> => {
    const authorization = as === null ? {} : { authorization: `Bearer ${await tokenFor(as)}` };
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...authorization, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  return {
    get: <T = any>(path: string, headers?: Record<string, string>) => request<T>('GET', path, undefined, headers),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => request<T>('POST', path, body, headers),
    delete: <T = any>(path: string, headers?: Record<string, string>) => request<T>('DELETE', path, undefined, headers),
  };
}

export type HttpClient = ReturnType<typeof httpClient>;
