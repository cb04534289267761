import { randomBytes } from 'node:crypto';
import { isSealed, SecretSealer } from './secret-sealing';

describe('SecretSealer', () => {
  const sealer = new SecretSealer(randomBytes(32));
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const bankId = '7d1c7a58-5f0e-4c4e-9a39-0c3d3f1e0a11';

  it('opens what it sealed, and the sealed form does not contain the secret', () => {
    const sealed = sealer.seal(bankId, secret);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(secret.slice(6));
    expect(sealer.open(bankId, sealed)).toBe(secret);
  });

  it('seals the same secret differently each time (a fresh nonce)', () => {
    expect(sealer.seal(bankId, secret)).not.toBe(sealer.seal(bankId, secret));
  });

  it("refuses a sealed secret altered, moved to another bank's row, or sealed with another key", () => {
    const sealed = sealer.seal(bankId, secret);
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    bytes[bytes.length - 1] ^= 1;
    expect(() => sealer.open(bankId, `v1.${bytes.toString('base64')}`)).toThrow();
    expect(() => sealer.open('5e0b9c3a-1d2f-4a6b-8c7d-9e0f1a2b3c4d', sealed)).toThrow();
    expect(() => new SecretSealer(randomBytes(32)).open(bankId, sealed)).toThrow();
  });

  it('refuses a value that was never sealed, and a key of the wrong size', () => {
    expect(() => sealer.open(bankId, secret)).toThrow('not a sealed secret');
    expect(() => new SecretSealer(randomBytes(16))).toThrow('32 bytes');
  });
});
