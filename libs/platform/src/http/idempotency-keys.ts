import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@sangam/domain';
import { errorCode } from '@sangam/messaging';
import { toErrorResponse } from './error-response';
import { ReplayedResponse } from './replayed-response';

/**
 * The contract's Idempotency-Key, as stored: the first answer to a caller's key is kept for 24 h
 * with a hash of its request, in the transaction that wrote the request's events. Used by the
 * request interceptor (one request, one transaction) and by batched command routes (several
 * requests, one transaction).
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
const RETENTION = '24 hours';

/** A retry waits 5 s (lock_idempotency_key's lock_timeout) for the first request with its key to finish, then answers 409. */
const LOCK_NOT_AVAILABLE = '55P03';

/** A request's claim on its key: whose key, which key, and what was asked with it. */
export interface KeyClaim {
  owner: string;
  key: string;
  /** sha256 of method, path and canonical body: a retry must ask the same. */
  hash: string;
}

export interface StoredAnswer {
  request_hash: string;
  /** Null only in a key an earlier version claimed and never answered (a crash mid-request): its outcome is unknown. */
  status: number | null;
  body: unknown;
}

/** An answer to store under a claim. */
export interface KeyAnswer {
  claim: KeyClaim;
  status: number;
  body: unknown;
}

/** Key order must not change the hash: {a,b} and {b,a} are the same request. */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
        )
      : value;

/** The request's claim on the key it sent (a key belongs to its caller: another user's identical key never finds this one's answer). */
export function claimKey(request: Request, key: string, owner: string): KeyClaim {
  if (key.length < 1 || key.length > 255) {
    throw new DomainError('validation_failed', 'Idempotency-Key must be 1 to 255 characters', 'validation', [
      { field: 'Idempotency-Key', message: 'must be 1 to 255 characters' },
    ]);
  }
  const hash = createHash('sha256')
    .update(JSON.stringify({ method: request.method, path: request.path, body: canonical(request.body ?? null) }))
    .digest('hex');
  return { owner, key, hash };
}

export const sameKey = (a: KeyClaim, b: KeyClaim): boolean => a.owner === b.owner && a.key === b.key;

/**
 * Waits for any other transaction holding these keys to finish, then reads the answers they left
 * (null where none), in the claims' order. Keys are locked in one order, so two batches sharing
 * keys never wait for each other in a cycle.
 */
export async function lockKeys(manager: EntityManager, claims: readonly KeyClaim[]): Promise<(StoredAnswer | null)[]> {
  if (claims.length === 0) return [];
  const order = claims.map((claim, i) => ({ claim, i })).sort((a, b) => compare(a.claim, b.claim));
  try {
    const rows = await manager.query<(StoredAnswer & { i: number | null })[]>(
      `SELECT claim.i, answer.* FROM unnest($1::text[], $2::text[], $3::int[]) WITH ORDINALITY AS claim(owner, key, i, n)
       LEFT JOIN LATERAL lock_idempotency_key(claim.owner, claim.key) answer ON true ORDER BY claim.n`,
      [order.map((o) => o.claim.owner), order.map((o) => o.claim.key), order.map((o) => o.i)],
    );
    const answers: (StoredAnswer | null)[] = claims.map(() => null);
    for (const { i, ...answer } of rows) if (answer.request_hash !== null) answers[Number(i)] = answer;
    return answers;
  } catch (error) {
    if (errorCode(error) === LOCK_NOT_AVAILABLE) {
      throw new DomainError('conflict', 'A request with this Idempotency-Key is still in progress; retry later', 'conflict');
    }
    throw error;
  }
}

const compare = (a: KeyClaim, b: KeyClaim): number =>
  a.owner === b.owner ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.owner < b.owner ? -1 : 1;

/** What a request gets when its key already has an answer: that answer replayed, or why not. Always throws. */
export function answerAgain(earlier: StoredAnswer, claim: KeyClaim, open: (stored: unknown) => unknown = (stored) => stored): never {
  if (earlier.request_hash !== claim.hash) {
    throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request');
  }
  if (earlier.status === null) {
    throw new DomainError(
      'conflict',
      'A request with this Idempotency-Key was interrupted and its outcome is unknown; check before retrying with a new key',
      'conflict',
    );
  }
  throw new ReplayedResponse(earlier.status, open(earlier.body));
}

/**
 * The answer a refused request leaves under its key, or null when it must leave none: a conflict
 * or a failure of ours may succeed on retry, so the key stays unused.
 */
export function refusalToKeep(error: unknown): { status: number; body: unknown } | null {
  const { status, body } = toErrorResponse(error);
  return status < 400 || status >= 500 || status === 409 ? null : { status, body };
}

export async function recordAnswers(manager: EntityManager, answers: readonly KeyAnswer[]): Promise<void> {
  if (answers.length === 0) return;
  await manager.query(
    `INSERT INTO idempotency_keys (owner, key, request_hash, status, body)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::jsonb[])`,
    [
      answers.map((a) => a.claim.owner),
      answers.map((a) => a.claim.key),
      answers.map((a) => a.claim.hash),
      answers.map((a) => a.status),
      answers.map((a) => JSON.stringify(a.body)),
    ],
  );
}

/** Keys are kept 24 h. The created_at index makes this cheap: it touches only the expired rows. */
export async function purgeExpiredKeys(dataSource: DataSource): Promise<void> {
  await dataSource.query(`DELETE FROM idempotency_keys WHERE created_at < now() - interval '${RETENTION}'`);
}
