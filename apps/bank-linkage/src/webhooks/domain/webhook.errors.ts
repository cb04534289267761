import { DomainError } from '@sangam/domain';

export const WebhookErrors = {
  invalidSignature: () =>
    new DomainError('invalid_signature', 'The webhook signature headers are missing or no signature matches', 'unauthorized'),
  staleTimestamp: () =>
    new DomainError(
      'stale_timestamp',
      'The webhook timestamp is more than 5 minutes away from our clock; sign the delivery again',
      'unauthorized',
    ),
  invalidPayload: (reason: string) =>
    new DomainError('invalid_payload', `The notification cannot be read (${reason}); it is kept in quarantine`, 'validation'),
};
