import { formatRupees } from '@sangam/money';

const row = (label: string, value: string | number) => `  ${label.padEnd(28)} ${String(value).padStart(18)}`;
const rupees = (paise: number) => formatRupees(paise);

/** The network dashboard as a person reads it: rupees, not paise. */
export function formatDashboard(dashboard: any): string {
  const { commonFund: fund, loans } = dashboard;
  const lines = [
    `${dashboard.name}  (${dashboard.memberShgCount} member SHGs)`,
    '',
    'Common fund',
    row('fees collected', rupees(fund.feesCollected)),
    row('+ pooled contributions', rupees(fund.contributions)),
    row('- lent out', rupees(fund.lentOut)),
    row('+ repaid in', rupees(fund.repaidIn)),
    row('= balance', rupees(fund.balance)),
    '',
    'Annual fees',
    ...dashboard.fees.flatMap((fee: any) => [
      row(`${fee.year} assessed`, rupees(fee.assessed)),
      row(`${fee.year} collected`, rupees(fee.collected)),
      row(`${fee.year} outstanding`, `${rupees(fee.outstanding)} (${fee.unpaidShgIds.length} SHGs)`),
    ]),
    '',
    'Cash-credit lines',
    ...dashboard.creditLines.flatMap((line: any) => [
      row('limit', rupees(line.limit)),
      row('drawn', rupees(line.drawn)),
      row('available', rupees(line.available)),
      row('interest charged / paid', `${rupees(line.interestCharged)} / ${rupees(line.interestPaid)}`),
    ]),
    '',
    'Loan book',
    row('loans (active / closed)', `${loans.count} (${loans.active} / ${loans.closed})`),
    row('disbursed principal', rupees(loans.disbursedPrincipal)),
    row('outstanding principal', rupees(loans.outstandingPrincipal)),
    row('principal repaid', rupees(loans.principalRepaid)),
    row('interest collected', rupees(loans.interestCollected)),
    row('overdue loans', loans.overdueCount),
    row('PAR30', `${(loans.par30 * 100).toFixed(2)} %`),
  ];
  return lines.join('\n');
}
