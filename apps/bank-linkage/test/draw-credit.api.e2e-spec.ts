import { randomUUID } from 'node:crypto';
import {
  devUserId,
  existingStream,
  expectNewEvents,
  expectNoNewEvents,
  expectResponse,
  post,
  spec,
  type RunningService,
} from '@sangam/testing';
import { BANK_STREAM_TYPE, type BankEvent } from '../src/banks/domain/bank.events';
import { CREDIT_LINE_STREAM_TYPE, type CreditLineEvent } from '../src/credit-lines/domain/credit-line.events';
import { startBankLinkage } from './bank-linkage.test-kit';

/** A drawdown at the API: given a bank granted to banker1 and a line it sanctioned, the request, the events it appends. */
describe('drawing on a credit line of Rs 5,000, given its bank is granted to banker1', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startBankLinkage('sangam_test_bank_api');
  });
  afterAll(() => service.stop());

  const sanctionedLine = () => {
    const bankId = randomUUID();
    const creditLineId = randomUUID();
    const bank: BankEvent[] = [{ type: 'AccessGranted', data: { objectType: 'bank', objectId: bankId, userId: devUserId('banker1') } }];
    const line: CreditLineEvent[] = [
      {
        type: 'CreditLineSanctioned',
        data: {
          creditLineId,
          bankId,
          borrower: { type: 'network', id: randomUUID() },
          limit: 500_000,
          annualInterestRateBps: 900,
          sanctionedOn: '2005-07-01',
          expiresOn: '2075-06-30',
        },
      },
    ];
    const given = spec(() => service).given(
      existingStream(bankId, BANK_STREAM_TYPE, bank),
      existingStream(creditLineId, CREDIT_LINE_STREAM_TYPE, line),
    );
    return { creditLineId, given };
  };

  it('records a drawdown within the limit', async () => {
    const { creditLineId, given } = sanctionedLine();
    await given
      .when(post('banker1', `/credit-lines/${creditLineId}/drawdowns`, { amount: 200_000, drawnOn: '2005-08-01', purpose: 'Dairy' }))
      .then(
        expectResponse(201, { id: expect.any(String) }),
        expectNewEvents(creditLineId, [
          {
            type: 'CreditDrawn',
            data: {
              creditLineId,
              drawdownId: expect.any(String),
              amount: 200_000,
              drawnOn: '2005-08-01',
              purpose: 'Dairy',
              loanId: null,
              bankReference: null,
            },
          },
        ]),
      );
  });

  it('refuses a drawdown past the limit, appending nothing', async () => {
    const { creditLineId, given } = sanctionedLine();
    await given
      .when(post('banker1', `/credit-lines/${creditLineId}/drawdowns`, { amount: 500_001, drawnOn: '2005-08-01', purpose: 'Dairy' }))
      .then(expectResponse(422, { error: 'insufficient_credit' }), expectNoNewEvents(creditLineId));
  });

  it('answers a bank officer of another bank as if the line did not exist, appending nothing', async () => {
    const { creditLineId, given } = sanctionedLine();
    await given
      .when(post('banker2', `/credit-lines/${creditLineId}/drawdowns`, { amount: 200_000, drawnOn: '2005-08-01', purpose: 'Dairy' }))
      .then(expectResponse(404), expectNoNewEvents(creditLineId));
  });
});
