import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@sangam/platform';
import { loadSealingKey } from './sealing-key';

describe('loadSealingKey', () => {
  const keyFile = () => join(mkdtempSync(join(tmpdir(), 'sealing-key-')), 'secrets', 'webhook-secrets.key');

  it('takes WEBHOOK_SECRETS_KEY when it is set', () => {
    const key = randomBytes(32);
    expect(loadSealingKey({ WEBHOOK_SECRETS_KEY: key.toString('base64') })).toEqual({ key, origin: 'WEBHOOK_SECRETS_KEY' });
  });

  it('refuses a WEBHOOK_SECRETS_KEY that is not the base64 of 32 bytes, naming the variable', () => {
    for (const bad of [randomBytes(16).toString('base64'), 'not base64 at all!']) {
      expect(() => loadSealingKey({ WEBHOOK_SECRETS_KEY: bad })).toThrow(ConfigurationError);
      expect(() => loadSealingKey({ WEBHOOK_SECRETS_KEY: bad })).toThrow(/WEBHOOK_SECRETS_KEY must be the base64 of 32/);
    }
  });

  it('creates a key file readable by its owner only on the first start, and reads the same key afterwards', () => {
    const file = keyFile();
    const first = loadSealingKey({ WEBHOOK_SECRETS_KEY_FILE: file });
    expect(first.origin).toEqual({ file, created: true });
    expect(first.key).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadSealingKey({ WEBHOOK_SECRETS_KEY_FILE: file });
    expect(again).toEqual({ key: first.key, origin: { file, created: false } });
    expect(readFileSync(file, 'utf8').trim()).toBe(first.key.toString('base64'));
  });
});
