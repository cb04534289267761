/**
 * The comparisons of `npm run reconcile`, pure: each derived view of an SHG, a network, a loan or
 * a credit line held against the service that owns the figure. Every figure is integer paise.
 */
export type ObjectKind = 'shg' | 'network' | 'loan' | 'credit-line';

export interface Disagreement {
  kind: ObjectKind;
  id: string;
  figure: string;
  /** The owner's figure, e.g. `groups: 150000`. */
  owner: string;
  /** The view that disagrees, e.g. `reporting: 149000`. */
  view: string;
}

export interface ShgFigures {
  savingsBalance: number;
  pooledSavings: number;
  lentToMembers: number;
  interestEarned: number;
}

/** A loan as lending states it (GET /loans/:id), with the funding source from GET /loans. */
export interface LendingLoan {
  id: string;
  status: string;
  lender: { type: string; id: string };
  borrower: { type: string; id: string };
  fundingSource: string;
  principal: number;
  outstandingPrincipal: number;
  principalPaid: number;
  interestPaid: number;
}

export interface BookedLoan {
  id: string;
  principal: number;
  outstandingPrincipal: number;
  status: string;
}

export interface NetworkFigures {
  /** groups: fees paid + contributions. */
  commonFund: number;
  memberShgCount: number;
}

export interface LendingFunds {
  raised: number;
  lentOut: number;
  repaidIn: number;
}

export interface DashboardFigures {
  memberShgCount: number;
  commonFund: { balance: number; feesCollected: number; contributions: number; lentOut: number; repaidIn: number };
  creditLines: { id: string; limit: number; drawn: number; available: number; interestCharged: number; interestPaid: number }[];
}

export interface CreditLineFigures {
  id: string;
  borrower: { type: string; id: string };
  limit: number;
  drawn: number;
  available: number;
  interestCharged: number;
  interestPaid: number;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const disbursed = (loan: LendingLoan) => loan.status === 'active' || loan.status === 'closed';

/** Adds a disagreement for each figure where the view differs from the owner. */
function differences(
  kind: ObjectKind,
  id: string,
  owner: [string, Record<string, number>],
  view: [string, Record<string, number | undefined>],
): Disagreement[] {
  return Object.entries(owner[1]).flatMap(([figure, value]) =>
    view[1][figure] === value
      ? []
      : [{ kind, id, figure, owner: `${owner[0]}: ${value}`, view: `${view[0]}: ${view[1][figure] ?? 'missing'}` }],
  );
}

/** Groups owns an SHG's money; reporting's statement must say the same, and lending's loans from the savings must add up to what groups lent. */
export function compareShg(id: string, groups: ShgFigures, statement: Partial<ShgFigures> | null, loans: LendingLoan[]): Disagreement[] {
  const fromSavings = loans.filter(
    (loan) => loan.lender.type === 'shg' && loan.lender.id === id && loan.fundingSource === 'shg-savings' && disbursed(loan),
  );
  const { savingsBalance, pooledSavings, lentToMembers, interestEarned } = groups;
  return [
    ...differences('shg', id, ['groups', { savingsBalance, pooledSavings, lentToMembers, interestEarned }], ['reporting', statement ?? {}]),
    ...differences(
      'shg',
      id,
      ['groups', { lentToMembers, interestEarned }],
      [
        'lending',
        { lentToMembers: sum(fromSavings.map((l) => l.outstandingPrincipal)), interestEarned: sum(fromSavings.map((l) => l.interestPaid)) },
      ],
    ),
  ];
}

/** Groups owns the fund's inputs, lending the loans out of it; lending's view and the dashboard must agree with both. */
export function compareNetwork(
  id: string,
  groups: NetworkFigures,
  funds: LendingFunds,
  dashboard: DashboardFigures | null,
  loans: LendingLoan[],
): Disagreement[] {
  const fromFund = loans.filter(
    (loan) => loan.lender.type === 'network' && loan.lender.id === id && loan.fundingSource === 'common-fund' && disbursed(loan),
  );
  const lentOut = sum(fromFund.map((l) => l.principal));
  const repaidIn = sum(fromFund.map((l) => l.principalPaid + l.interestPaid));
  const fund = dashboard?.commonFund;
  return [
    ...differences('network', id, ['groups', { raised: groups.commonFund }], ['lending', { raised: funds.raised }]),
    ...differences(
      'network',
      id,
      ['groups', { raised: groups.commonFund, memberShgCount: groups.memberShgCount }],
      ['reporting', { raised: fund && fund.feesCollected + fund.contributions, memberShgCount: dashboard?.memberShgCount }],
    ),
    ...differences(
      'network',
      id,
      ['lending loans', { lentOut, repaidIn }],
      ['lending funds', { lentOut: funds.lentOut, repaidIn: funds.repaidIn }],
    ),
    ...differences(
      'network',
      id,
      ['lending loans', { lentOut, repaidIn }],
      ['reporting', { lentOut: fund?.lentOut, repaidIn: fund?.repaidIn }],
    ),
    ...differences(
      'network',
      id,
      ['groups and lending', { balance: groups.commonFund - lentOut + repaidIn }],
      ['reporting', { balance: fund?.balance }],
    ),
  ];
}

/** Lending owns a loan; the loan book must show it with the same principal, outstanding principal and status. */
export function compareLoan(loan: LendingLoan, booked: BookedLoan | undefined): Disagreement[] {
  const { principal, outstandingPrincipal } = loan;
  const statusOf = (status: string | undefined) => (status === undefined ? undefined : status === loan.status ? 0 : 1);
  return [
    ...differences(
      'loan',
      loan.id,
      ['lending', { principal, outstandingPrincipal }],
      ['reporting', { principal: booked?.principal, outstandingPrincipal: booked?.outstandingPrincipal }],
    ),
    ...(statusOf(booked?.status) === 1
      ? [{ kind: 'loan' as const, id: loan.id, figure: 'status', owner: `lending: ${loan.status}`, view: `reporting: ${booked!.status}` }]
      : []),
  ];
}

/** Bank-linkage owns a credit line; the borrowing network's dashboard must show the same figures. */
export function compareCreditLine(line: CreditLineFigures, shown: DashboardFigures['creditLines'][number] | undefined): Disagreement[] {
  const figures = ({ limit, drawn, available, interestCharged, interestPaid }: Omit<CreditLineFigures, 'id' | 'borrower'>) => ({
    limit,
    drawn,
    available,
    interestCharged,
    interestPaid,
  });
  return differences('credit-line', line.id, ['bank-linkage', figures(line)], ['reporting', shown ? figures(shown) : {}]);
}
