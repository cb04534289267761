import { randomUUID } from 'node:crypto';
import { bankLinkageEventContracts, groupsEventContracts, lendingEventContracts } from '@sangam/contracts';
import { contractViolations } from './contract-conformance';

const shgFormed = (data: Record<string, unknown> = {}) => ({
  type: 'ShgFormed',
  data: { shgId: randomUUID(), name: 'Jai Bhavani SHG', village: 'Pinguli', formedOn: '2004-06-01', ...data },
});

const creditDrawn = (data: Record<string, unknown> = {}) => ({
  type: 'CreditDrawn',
  data: {
    creditLineId: randomUUID(),
    drawdownId: randomUUID(),
    amount: 100,
    drawnOn: '2005-06-15',
    purpose: 'Dairy',
    loanId: null,
    bankReference: null,
    ...data,
  },
});

describe('contractViolations', () => {
  it('finds nothing wrong with events that keep to their contracts', () => {
    expect(
      contractViolations(
        [shgFormed(), creditDrawn(), creditDrawn({ loanId: randomUUID(), bankReference: 'UTR1' })],
        [...groupsEventContracts, ...bankLinkageEventContracts],
      ),
    ).toEqual([]);
  });

  it('names undocumented types, missing and undocumented fields', () => {
    const { data } = shgFormed();
    const { village: _, ...withoutVillage } = data;
    expect(contractViolations([{ type: 'ShgRenamed', data }], groupsEventContracts)).toEqual(['ShgRenamed is not documented']);
    expect(contractViolations([{ type: 'ShgFormed', data: withoutVillage }], groupsEventContracts)).toEqual([
      'ShgFormed.village is missing',
    ]);
    expect(contractViolations([shgFormed({ leader: 'Sunita' })], groupsEventContracts)).toEqual(['ShgFormed.leader is undocumented']);
  });

  it('checks types, formats, enums, ranges and nullable fields', () => {
    expect(contractViolations([shgFormed({ shgId: 'shg-1', formedOn: '1 June 2004', name: 7 })], groupsEventContracts)).toEqual([
      'ShgFormed.shgId is not a uuid',
      'ShgFormed.name is integer',
      'ShgFormed.formedOn is not a date',
    ]);
    expect(contractViolations([creditDrawn({ amount: 0.5, loanId: 'loan-1' })], bankLinkageEventContracts)).toEqual([
      'CreditDrawn.amount is number',
      'CreditDrawn.loanId matches no option',
    ]);
    expect(contractViolations([creditDrawn({ amount: 0 })], bankLinkageEventContracts)).toEqual(['CreditDrawn.amount out of range']);
    expect(
      contractViolations(
        [{ type: 'MemberEnrolled', data: { shgId: randomUUID(), memberId: randomUUID(), name: 'Savita', role: 'president' } }],
        groupsEventContracts,
      ),
    ).toEqual(['MemberEnrolled.role = president is not allowed']);
  });

  it('checks nested objects and array items', () => {
    const data = {
      loanId: randomUUID(),
      lender: { type: 'bank', id: randomUUID() },
      borrower: { type: 'shg', id: randomUUID() },
      networkId: null,
      principal: 100,
      disbursedOn: '2005-06-15',
      funding: { source: 'common-fund', creditLineId: null, drawdownId: null },
      interestMethod: 'flat',
      annualInterestRateBps: 1200,
      termMonths: 1,
      schedule: [{ number: 1, dueOn: 'soon', principal: 100, interest: 1 }],
    };
    expect(contractViolations([{ type: 'LoanDisbursed', data }], lendingEventContracts)).toEqual([
      'LoanDisbursed.lender.type = bank is not allowed',
      'LoanDisbursed.schedule[0].dueOn is not a date',
    ]);
  });
});
