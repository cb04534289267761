import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { authenticateWebhook } from './webhook-signature';

const now = 1_700_000_000;
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const previousSecret = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const body =
  '{"type":"credit_line.repayment.received","data":{"creditLineId":"0b8f7f4e-3a6c-4d0e-9c55-8f0c2b7d1a01","amount":500000,"valueDate":"2005-11-14","bankReference":"UTR0001"}}';

/** Signatures from the reference implementation (the standardwebhooks package), not from the code under test. */
const signedBy = (signingSecret: string, webhookId: string, timestamp: number, payload = body) =>
  new Webhook(signingSecret).sign(webhookId, new Date(timestamp * 1000), payload);

const delivery = (
  signature: string | undefined,
  timestamp: number | string = now,
  payload: string | Buffer = body,
  webhookId = 'msg_1',
) => ({
  webhookId,
  timestamp: String(timestamp),
  signature,
  body: Buffer.isBuffer(payload) ? payload : Buffer.from(payload),
});

const verdict = (...args: Parameters<typeof authenticateWebhook>) => authenticateWebhook(...args).verdict;

describe('verifying a Standard Webhooks signature', () => {
  it('accepts the published Standard Webhooks test vector', () => {
    const vector = delivery(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      1614265330,
      '{"test": 2432232314}',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
    );
    expect(verdict(vector, [secret], 1614265330)).toBe('valid');
  });

  it('accepts a delivery signed by the reference implementation', () => {
    expect(verdict(delivery(signedBy(secret, 'msg_1', now)), [secret], now)).toBe('valid');
  });

  it('refuses a forged signature', () => {
    const forged = signedBy('whsec_' + Buffer.alloc(32, 7).toString('base64'), 'msg_1', now);
    expect(verdict(delivery(forged), [secret], now)).toBe('invalid_signature');
  });

  it('refuses a body changed after signing', () => {
    const signature = signedBy(secret, 'msg_1', now);
    expect(verdict(delivery(signature, now, body.replace('500000', '900000')), [secret], now)).toBe('invalid_signature');
  });

  it('refuses a signature replayed under another webhook-id or timestamp', () => {
    const signature = signedBy(secret, 'msg_1', now);
    expect(verdict(delivery(signature, now, body, 'msg_2'), [secret], now)).toBe('invalid_signature');
    expect(verdict(delivery(signature, now + 1), [secret], now)).toBe('invalid_signature');
  });

  it('answers stale_timestamp for an authentic delivery more than 5 minutes old or ahead', () => {
    expect(verdict(delivery(signedBy(secret, 'msg_1', now - 301), now - 301), [secret], now)).toBe('stale_timestamp');
    expect(verdict(delivery(signedBy(secret, 'msg_1', now + 301), now + 301), [secret], now)).toBe('stale_timestamp');
  });

  it('accepts a delivery exactly 5 minutes old or ahead', () => {
    expect(verdict(delivery(signedBy(secret, 'msg_1', now - 300), now - 300), [secret], now)).toBe('valid');
    expect(verdict(delivery(signedBy(secret, 'msg_1', now + 300), now + 300), [secret], now)).toBe('valid');
  });

  it('tells a forgery with an old timestamp only that its signature is invalid', () => {
    expect(verdict(delivery('v1,AAAA', now - 3600), [secret], now)).toBe('invalid_signature');
  });

  it('accepts the previous secret while it is still valid (key rotation)', () => {
    expect(verdict(delivery(signedBy(previousSecret, 'msg_1', now)), [secret, previousSecret], now)).toBe('valid');
    expect(verdict(delivery(signedBy(previousSecret, 'msg_1', now)), [secret], now)).toBe('invalid_signature');
  });

  it('names the secret that signed, so that the store can check it is still valid when it commits', () => {
    const byPrevious = delivery(signedBy(previousSecret, 'msg_1', now));
    expect(authenticateWebhook(byPrevious, [secret, previousSecret], now)).toEqual({ verdict: 'valid', signedWith: previousSecret });
    expect(authenticateWebhook(delivery(signedBy(secret, 'msg_1', now - 301), now - 301), [previousSecret, secret], now)).toEqual({
      verdict: 'stale_timestamp',
      signedWith: secret,
    });
    expect(authenticateWebhook(byPrevious, [secret], now)).toEqual({ verdict: 'invalid_signature', signedWith: null });
  });

  it('tries every v1 entry of a multi-signature header and ignores other versions', () => {
    const good = signedBy(secret, 'msg_1', now);
    const other = signedBy(previousSecret, 'msg_1', now);
    expect(verdict(delivery(`${other} v1a,${good.slice(3)} ${good}`), [secret], now)).toBe('valid');
    expect(verdict(delivery(`${other} v1a,${good.slice(3)} v2,${good.slice(3)}`), [secret], now)).toBe('invalid_signature');
  });

  it('refuses missing headers, a non-numeric timestamp and an empty signature', () => {
    const good = signedBy(secret, 'msg_1', now);
    expect(verdict(delivery(undefined), [secret], now)).toBe('invalid_signature');
    expect(verdict({ ...delivery(good), webhookId: undefined }, [secret], now)).toBe('invalid_signature');
    expect(verdict({ ...delivery(good), timestamp: undefined }, [secret], now)).toBe('invalid_signature');
    expect(verdict(delivery(good, `${now}abc`), [secret], now)).toBe('invalid_signature');
    expect(verdict(delivery('v1,'), [secret], now)).toBe('invalid_signature');
  });

  it('refuses a correctly signed timestamp that is not only digits', () => {
    const signedOver = (timestamp: string) => {
      const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
      return `v1,${createHmac('sha256', key).update(`msg_1.${timestamp}.`).update(body).digest('base64')}`;
    };
    for (const timestamp of [`${now}abc`, `abc${now}`, `${now}.5`]) {
      expect(verdict(delivery(signedOver(timestamp), timestamp), [secret], now)).toBe('invalid_signature');
    }
  });

  it('accepts a webhook-id of up to 255 characters and refuses a longer one', () => {
    const longestId = `msg_${'a'.repeat(251)}`;
    const tooLongId = `${longestId}a`;
    expect(verdict(delivery(signedBy(secret, longestId, now), now, body, longestId), [secret], now)).toBe('valid');
    expect(verdict(delivery(signedBy(secret, tooLongId, now), now, body, tooLongId), [secret], now)).toBe('invalid_signature');
  });

  it('signs the exact bytes: two bodies that decode to the same text do not share a signature', () => {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const signedBytes = Buffer.from([0x7b, 0xff, 0x7d]);
    const hmac = createHmac('sha256', key).update(`msg_1.${now}.`).update(signedBytes).digest('base64');
    expect(verdict(delivery(`v1,${hmac}`, now, signedBytes), [secret], now)).toBe('valid');
    expect(verdict(delivery(`v1,${hmac}`, now, Buffer.from([0x7b, 0xfe, 0x7d])), [secret], now)).toBe('invalid_signature');
  });
});
