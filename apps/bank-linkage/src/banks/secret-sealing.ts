import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SEALING_KEY_BYTES = 32;

/**
 * Webhook secrets at rest: verifying an HMAC needs the secret itself, so it cannot be hashed;
 * it is encrypted (AES-256-GCM) with a key kept outside the database, so a copy of the database
 * alone does not let anyone sign as a bank. The bank id is authenticated with it, so a sealed
 * secret moved to another bank's row does not open.
 */
export class SecretSealer {
  constructor(private readonly key: Buffer) {
    if (key.length !== SEALING_KEY_BYTES) throw new Error(`a sealing key is ${SEALING_KEY_BYTES} bytes, not ${key.length}`);
  }

  seal(bankId: string, secret: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv).setAAD(Buffer.from(bankId));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `${FORMAT}.${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
  }

  /** Throws when the value was not sealed with this key for this bank, or was altered. */
  open(bankId: string, value: string): string {
    if (!isSealed(value)) throw new Error('not a sealed secret');
    const bytes = Buffer.from(value.slice(FORMAT.length + 1), 'base64');
    const decipher = createDecipheriv(ALGORITHM, this.key, bytes.subarray(0, IV_BYTES)).setAAD(Buffer.from(bankId));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

export const isSealed = (value: string): boolean => value.startsWith(`${FORMAT}.`);
