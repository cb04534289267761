import { DomainError } from '@sangam/domain';
import { WebhookErrors } from './webhook.errors';

describe('the errors a webhook delivery is answered with', () => {
  it('answers a forged or stale signature as unauthorized, and an unreadable body as invalid', () => {
    const errors = [
      WebhookErrors.invalidSignature(),
      WebhookErrors.staleTimestamp(),
      WebhookErrors.invalidPayload('the body is not UTF-8 JSON'),
    ];
    expect(errors.every((error) => error instanceof DomainError)).toBe(true);
    expect(errors.map(({ code, category }) => ({ code, category }))).toEqual([
      { code: 'invalid_signature', category: 'unauthorized' },
      { code: 'stale_timestamp', category: 'unauthorized' },
      { code: 'invalid_payload', category: 'validation' },
    ]);
  });
});
