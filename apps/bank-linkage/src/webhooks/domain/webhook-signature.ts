import { createHmac, timingSafeEqual } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';
/** Standard Webhooks tolerance, applied both to old and to future timestamps. */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export interface SignedDelivery {
  webhookId: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  /** The exact bytes received: the signature covers them, not a re-serialisation. */
  body: Buffer;
}

export type SignatureVerdict = 'valid' | 'invalid_signature' | 'stale_timestamp';

const MAX_WEBHOOK_ID_LENGTH = 255;

const keyOf = (secret: string): Buffer =>
  Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');

const expectedSignature = (key: Buffer, webhookId: string, timestamp: string, body: Buffer): Buffer =>
  createHmac('sha256', key).update(`${webhookId}.${timestamp}.`).update(body).digest();

const offeredSignatures = (header: string): Buffer[] =>
  header
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));

export interface Authentication {
  verdict: SignatureVerdict;
  /** The secret whose signature matched; null when none did. */
  signedWith: string | null;
}

/**
 * Standard Webhooks verification over the raw body: HMAC-SHA256 of `id.timestamp.body` with any of
 * the bank's current secrets (two during a rotation) must equal any `v1,` signature offered. Only
 * an authentic delivery is told that its timestamp is off, so a forgery learns nothing.
 */
export function authenticateWebhook(delivery: SignedDelivery, secrets: readonly string[], nowSeconds: number): Authentication {
  const { webhookId, timestamp, signature, body } = delivery;
  if (!webhookId || webhookId.length > MAX_WEBHOOK_ID_LENGTH || !signature || !timestamp || !/^\d{1,15}$/.test(timestamp)) {
    return { verdict: 'invalid_signature', signedWith: null };
  }
  const offered = offeredSignatures(signature);
  const signedWith = secrets.find((secret) => {
    const expected = expectedSignature(keyOf(secret), webhookId, timestamp, body);
    return offered.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  });
  if (signedWith === undefined) return { verdict: 'invalid_signature', signedWith: null };
  const verdict = Math.abs(nowSeconds - Number(timestamp)) > TIMESTAMP_TOLERANCE_SECONDS ? 'stale_timestamp' : 'valid';
  return { verdict, signedWith };
}
