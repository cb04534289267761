import { randomUUID } from 'node:crypto';
import type {
  BankLinkageEvent,
  GroupsEvent,
  LendingEvent,
  LoanAppliedData,
  LoanRepaymentAllocation,
  ScheduledInstallment,
} from '@sangam/contracts';
import type { EventEnvelope } from '@sangam/messaging';
import { envelopeOf } from '@sangam/testing';
import { addMonths } from '@sangam/domain';
import { splitEvenly } from '@sangam/money';
import type { TopicKey } from '../src/projections/projection';

/** A contract envelope bound for one of the three topics, as the owning service would publish it. */
export interface TopicEvent {
  topic: TopicKey;
  envelope: EventEnvelope;
}

export const groups = (streamId: string, event: GroupsEvent): TopicEvent => ({
  topic: 'groups',
  envelope: envelopeOf({ streamId, ...event }),
});
export const bankLinkage = (streamId: string, event: BankLinkageEvent): TopicEvent => ({
  topic: 'bankLinkage',
  envelope: envelopeOf({ streamId, ...event }),
});
export const lending = (event: LendingEvent): TopicEvent => ({
  topic: 'lending',
  envelope: envelopeOf({ streamId: event.data.loanId, ...event }),
});

/** A flat-interest schedule as the contract describes it. */
export function flatSchedule(
  principal: number,
  annualInterestRateBps: number,
  termMonths: number,
  disbursedOn: string,
): ScheduledInstallment[] {
  const interest = Math.floor((principal * annualInterestRateBps * termMonths + 60_000) / 120_000);
  const principals = splitEvenly(principal, termMonths);
  const interests = splitEvenly(interest, termMonths);
  return principals.map((p, i) => ({ number: i + 1, dueOn: addMonths(disbursedOn, i + 1), principal: p, interest: interests[i] }));
}

export type LoanTerms = Pick<LoanAppliedData, 'lender' | 'borrower' | 'principal' | 'purpose'> &
  Partial<Pick<LoanAppliedData, 'annualInterestRateBps' | 'termMonths' | 'funding' | 'networkId' | 'appliedAt'>>;

/** Builds one loan's events in the order lending publishes them. */
export class LoanStory {
  readonly loanId = randomUUID();
  readonly terms: LoanAppliedData;
  schedule: ScheduledInstallment[] = [];
  private readonly paid = new Map<string, number>();
  private principalPaid = 0;

  constructor(terms: LoanTerms) {
    this.terms = {
      loanId: this.loanId,
      networkId: terms.lender.type === 'network' ? terms.lender.id : null,
      annualInterestRateBps: 1200,
      termMonths: 12,
      interestMethod: 'flat',
      funding: { source: terms.lender.type === 'network' ? 'common-fund' : 'shg-savings', creditLineId: null },
      appliedAt: new Date().toISOString(),
      ...terms,
    };
  }

  applied(): TopicEvent {
    return lending({ type: 'LoanApplied', data: this.terms });
  }

  approved(approvedOn: string): TopicEvent {
    return lending({ type: 'LoanApproved', data: { loanId: this.loanId, approvedOn } });
  }

  rejected(reason = 'not enough savings'): TopicEvent {
    return lending({ type: 'LoanRejected', data: { loanId: this.loanId, reason, rejectedAt: new Date().toISOString() } });
  }

  disbursementRequested(requestedOn: string): TopicEvent {
    const { loanId, funding, principal, borrower, lender, purpose } = this.terms;
    return lending({
      type: 'LoanDisbursementRequested',
      data: {
        loanId,
        fundingSource: 'credit-line',
        creditLineId: funding.creditLineId!,
        amount: principal,
        borrower,
        lender,
        purpose,
        requestedOn,
      },
    });
  }

  fundingFailed(failedOn: string): TopicEvent {
    const { loanId, funding, principal } = this.terms;
    return lending({
      type: 'LoanFundingFailed',
      data: { loanId, creditLineId: funding.creditLineId!, amount: principal, reason: 'insufficient_credit', failedOn },
    });
  }

  disbursed(disbursedOn: string): TopicEvent {
    const { loanId, lender, borrower, networkId, principal, funding, interestMethod, annualInterestRateBps, termMonths } = this.terms;
    this.schedule = flatSchedule(principal, annualInterestRateBps, termMonths, disbursedOn);
    return lending({
      type: 'LoanDisbursed',
      data: {
        loanId,
        lender,
        borrower,
        networkId,
        principal,
        disbursedOn,
        funding: { ...funding, drawdownId: funding.creditLineId ? randomUUID() : null },
        interestMethod,
        annualInterestRateBps,
        termMonths,
        schedule: this.schedule,
      },
    });
  }

  /** Lending's order: interest of the installments due, then their principal, then the later installments in turn. */
  repaid(amount: number, paidOn: string): TopicEvent[] {
    const isDue = (i: ScheduledInstallment) => i.dueOn <= paidOn;
    const buckets = [
      ...this.schedule.filter(isDue).map((i) => ({ i, part: 'interest' as const })),
      ...this.schedule.filter(isDue).map((i) => ({ i, part: 'principal' as const })),
      ...this.schedule
        .filter((i) => !isDue(i))
        .flatMap((i) => [
          { i, part: 'interest' as const },
          { i, part: 'principal' as const },
        ]),
    ];
    const allocation: LoanRepaymentAllocation = { interest: 0, principal: 0 };
    let rest = amount;
    for (const { i, part } of buckets) {
      const key = `${i.number}:${part}`;
      const take = Math.min(rest, i[part] - (this.paid.get(key) ?? 0));
      this.paid.set(key, (this.paid.get(key) ?? 0) + take);
      allocation[part] += take;
      rest -= take;
    }
    this.principalPaid += allocation.principal;
    const { loanId, lender, borrower, networkId, funding, principal } = this.terms;
    const events = [
      lending({
        type: 'RepaymentReceived',
        data: {
          loanId,
          repaymentId: randomUUID(),
          lender,
          borrower,
          networkId,
          fundingSource: funding.source,
          amount: allocation.interest + allocation.principal,
          paidOn,
          allocation,
          installments: [],
          outstandingPrincipal: principal - this.principalPaid,
        },
      }),
    ];
    if (buckets.every(({ i, part }) => this.paid.get(`${i.number}:${part}`) === i[part])) {
      events.push(lending({ type: 'LoanClosed', data: { loanId, closedOn: paidOn } }));
    }
    return events;
  }

  /** Pays installment `number` exactly, as a borrower on time would. */
  repaidInstallment(number: number, paidOn: string): TopicEvent[] {
    const installment = this.schedule[number - 1];
    return this.repaid(installment.interest + installment.principal, paidOn);
  }
}
