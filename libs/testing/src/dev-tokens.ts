import { decodeJwt } from 'jose';

/**
 * The development users of the local Keycloak realm `sangam` (infra/keycloak/sangam-realm.json),
 * each with password = username. Their ids are fixed in the realm file, so a token's `sub` is
 * known in advance.
 */
export const DEV_USERS = [
  { username: 'admin', id: 'de700000-0000-4000-8000-000000000001', role: 'admin' },
  { username: 'field1', id: 'de700000-0000-4000-8000-000000000011', role: 'field-officer' },
  { username: 'field2', id: 'de700000-0000-4000-8000-000000000012', role: 'field-officer' },
  { username: 'approver1', id: 'de700000-0000-4000-8000-000000000021', role: 'approver' },
  { username: 'approver2', id: 'de700000-0000-4000-8000-000000000022', role: 'approver' },
  { username: 'banker1', id: 'de700000-0000-4000-8000-000000000031', role: 'bank-officer' },
  { username: 'banker2', id: 'de700000-0000-4000-8000-000000000032', role: 'bank-officer' },
  { username: 'auditor1', id: 'de700000-0000-4000-8000-000000000041', role: 'auditor' },
  { username: 'operator1', id: 'de700000-0000-4000-8000-000000000051', role: 'operator' },
] as const;

/** A development user's username. */
export type DevUser = (typeof DEV_USERS)[number]['username'];

/** The fixed id (`sub`) of a development user. */
export function devUserId(username: DevUser): string {
  return DEV_USERS.find((user) => user.username === username)!.id;
}

/** The Keycloak server: `KEYCLOAK_URL`, else the local one. */
export function keycloakUrl(): string {
  return (process.env.KEYCLOAK_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
}

export interface DevToken {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * An access token from the realm's public client `sangam-cli` by the password grant (development
 * and tests only).
 */
export async function passwordGrant(username: string, password: string = username): Promise<DevToken> {
  const endpoint = `${keycloakUrl()}/realms/sangam/protocol/openid-connect/token`;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', client_id: 'sangam-cli', username, password }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new Error(
      `Keycloak is not reachable at ${keycloakUrl()} (${cause}); start it with \`npm run keycloak -- start\` or set KEYCLOAK_URL`,
      { cause: error },
    );
  }
  const text = await response.text();
  let body: { access_token?: string; expires_in?: number; error?: string; error_description?: string } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not JSON: reported below with the status
  }
  if (!response.ok || !body.access_token) {
    const reason = body.error
      ? `${body.error}${body.error_description ? `: ${body.error_description}` : ''}`
      : `HTTP ${response.status} ${text.slice(0, 200)}`;
    throw new Error(`Keycloak at ${keycloakUrl()} refused a token for '${username}' (${reason})`);
  }
  return { accessToken: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 0) * 1000 };
}

const cache = new Map<string, Promise<DevToken>>();
const MIN_REMAINING_MS = 60_000;

/** A development user's access token (password = username), cached until fewer than 60 s remain. */
export async function tokenFor(username: DevUser | (string & {})): Promise<string> {
  const cached = cache.get(username);
  if (cached) {
    const token = await cached.catch(() => undefined);
    if (token && token.expiresAt - Date.now() >= MIN_REMAINING_MS) return token.accessToken;
    if (cache.get(username) !== cached) return tokenFor(username);
  }
  const fetching = passwordGrant(username);
  cache.set(username, fetching);
  fetching.catch(() => cache.get(username) === fetching && cache.delete(username));
  return (await fetching).accessToken;
}

/** The `sub` of a token, without verifying it (tests only). */
export function userIdOf(token: string): string {
  const { sub } = decodeJwt(token);
  if (!sub) throw new Error('the token has no sub');
  return sub;
}
