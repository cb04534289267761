import { readFileSync } from 'node:fs';
import { ASYNCAPI_PATH, renderAsyncApi } from '../../../scripts/asyncapi';
import { ALL_EVENT_CONTRACTS } from './asyncapi';

/** The event types shared/contract.md names in its Kafka section. */
const NAMED_IN_THE_CONTRACT = [
  'ShgFormed',
  'MemberEnrolled',
  'SavingsDeposited',
  'NetworkFormed',
  'ShgJoinedNetwork',
  'AnnualFeeAssessed',
  'AnnualFeePaid',
  'FundContributed',
  'LoanApplied',
  'LoanApproved',
  'LoanDisbursementRequested',
  'LoanDisbursed',
  'LoanFundingFailed',
  'RepaymentReceived',
  'LoanClosed',
  'BankRegistered',
  'CreditLineSanctioned',
  'CreditDrawn',
  'CreditDrawRejected',
  'CreditRepaid',
  'InterestCharged',
  'BankWebhookAccepted',
  'AccessGranted',
  'AccessRevoked',
];

describe('the published event contracts', () => {
  it('document every event type the public contract names, each once per topic', () => {
    const types = ALL_EVENT_CONTRACTS.map((c) => c.type);
    expect(types).toEqual(expect.arrayContaining(NAMED_IN_THE_CONTRACT));
    const perTopic = ALL_EVENT_CONTRACTS.map((c) => `${c.topic} ${c.type}`);
    expect(new Set(perTopic).size).toBe(perTopic.length);
  });

  it('name past-tense PascalCase facts on the contract topics', () => {
    for (const contract of ALL_EVENT_CONTRACTS) {
      expect(contract.type).toMatch(/^([A-Z][a-z]+)+$/);
      expect(['sangam.groups.events', 'sangam.lending.events', 'sangam.bank-linkage.events']).toContain(contract.topic);
      expect(contract.data.type).toBe('object');
    }
  });

  it('match the committed AsyncAPI document (run npm run asyncapi after changing an event)', () => {
    expect(readFileSync(ASYNCAPI_PATH, 'utf8')).toBe(renderAsyncApi());
  });
});
