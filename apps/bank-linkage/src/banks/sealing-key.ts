import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigurationError } from '@sangam/platform';
import { SEALING_KEY_BYTES } from './secret-sealing';

export const DEFAULT_SEALING_KEY_FILE = '.cache/secrets/webhook-secrets.key';

export interface SealingKeySource {
  key: Buffer;
  /** Where it came from, for the log; `created` when this start generated it. */
  origin: 'WEBHOOK_SECRETS_KEY' | { file: string; created: boolean };
}

function decodeKey(text: string, origin: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== SEALING_KEY_BYTES || key.toString('base64') !== text.trim()) {
    throw new ConfigurationError(
      `Invalid configuration for bank-linkage:\n  - ${origin} must be the base64 of ${SEALING_KEY_BYTES} random bytes (openssl rand -base64 32)`,
    );
  }
  return key;
}

/**
 * The key that seals banks' webhook secrets: `WEBHOOK_SECRETS_KEY` (base64 of 32 bytes, from a
 * secret manager in production), else the file `WEBHOOK_SECRETS_KEY_FILE`, created with a new
 * random key on the first start so that a fresh machine needs no set-up. Losing the key means
 * rotating every bank's secret, so it belongs with the backups, apart from the database's.
 */
export function loadSealingKey(env: NodeJS.ProcessEnv = process.env): SealingKeySource {
  if (env.WEBHOOK_SECRETS_KEY) return { key: decodeKey(env.WEBHOOK_SECRETS_KEY, 'WEBHOOK_SECRETS_KEY'), origin: 'WEBHOOK_SECRETS_KEY' };
  const file = resolve(env.WEBHOOK_SECRETS_KEY_FILE || DEFAULT_SEALING_KEY_FILE);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Written whole under another name, then linked into place: of two services starting at once,
  // one creates the key and the other reads it, never a half-written file.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, `${randomBytes(SEALING_KEY_BYTES).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(draft, file);
    return { key: decodeKey(readFileSync(file, 'utf8'), file), origin: { file, created: true } };
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
    return { key: decodeKey(readFileSync(file, 'utf8'), `the key file ${file}`), origin: { file, created: false } };
  } finally {
    unlinkSync(draft);
  }
}
