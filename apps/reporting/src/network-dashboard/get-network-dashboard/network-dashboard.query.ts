import type { EntityManager } from 'typeorm';
import { loansLentByNetwork } from '../../loan-book/booked-loans';
import { summarizeLoanBook } from '../../loan-book/loan-book-summary';
import { paise } from '../../shared/paise';
import { commonFund } from '../common-fund';
import { findNetwork } from '../networks';
import type { CreditLineView, FeeYearView, NetworkDashboardView } from './network-dashboard.view';

const feeYears = async (manager: EntityManager, networkId: string): Promise<FeeYearView[]> => {
  const rows: { year: number; assessed: string; collected: string; unpaid: string[] | null }[] = await manager.query(
    `SELECT year, sum(assessed) AS assessed, sum(paid) AS collected,
            array_agg(shg_id ORDER BY shg_id) FILTER (WHERE paid < assessed) AS unpaid
     FROM network_fees WHERE network_id = $1 GROUP BY year ORDER BY year`,
    [networkId],
  );
  return rows.map((row) => ({
    year: row.year,
    assessed: paise(row.assessed),
    collected: paise(row.collected),
    outstanding: paise(BigInt(row.assessed) - BigInt(row.collected)),
    unpaidShgIds: row.unpaid ?? [],
  }));
};

const networkCreditLines = async (manager: EntityManager, networkId: string): Promise<CreditLineView[]> => {
  const rows: Record<'credit_line_id' | 'bank_id' | 'credit_limit' | 'drawn' | 'principal_repaid' | 'interest_charged' | 'interest_paid', string>[] =
    await manager.query(
      `SELECT credit_line_id, bank_id, credit_limit, drawn, principal_repaid, interest_charged, interest_paid FROM credit_lines
       WHERE borrower_type = 'network' AND borrower_id = $1 ORDER BY sanctioned_on, credit_line_id`,
      [networkId],
    );
  return rows.map((row) => {
    const drawn = BigInt(row.drawn) - BigInt(row.principal_repaid);
    return {
      id: row.credit_line_id,
      bankId: row.bank_id,
      limit: paise(row.credit_limit),
      drawn: paise(drawn),
      available: paise(BigInt(row.credit_limit) - drawn),
      interestCharged: paise(row.interest_charged),
      interestPaid: paise(row.interest_paid),
    };
  });
};

const sumOf = async (manager: EntityManager, sql: string, networkId: string): Promise<bigint> => {
  const [{ total }]: { total: string }[] = await manager.query(sql, [networkId]);
  return BigInt(total);
};

/** Reads the dashboard from the network-dashboard and loan-book tables; null for a network not (yet) known. */
export async function readNetworkDashboard(manager: EntityManager, networkId: string, asOf: string): Promise<NetworkDashboardView | null> {
  const network = await findNetwork(manager, networkId);
  if (!network) return null;
  const memberShgCount = await sumOf(manager, `SELECT count(*) AS total FROM network_members WHERE network_id = $1 AND joins > exits`, networkId);
  const contributions = await sumOf(manager, `SELECT COALESCE(sum(amount), 0) AS total FROM fund_contributions WHERE network_id = $1`, networkId);
  const fees = await feeYears(manager, networkId);
  const creditLines = await networkCreditLines(manager, networkId);
  const loans = await loansLentByNetwork(manager, networkId, asOf);
  const feesCollected = fees.reduce((total, year) => total + BigInt(year.collected), 0n);
  const fund = commonFund(feesCollected, contributions, loans);
  const book = summarizeLoanBook(loans, asOf);
  return {
    networkId,
    name: network.name,
    memberShgCount: Number(memberShgCount),
    commonFund: {
      balance: paise(fund.balance),
      feesCollected: paise(fund.feesCollected),
      contributions: paise(fund.contributions),
      lentOut: paise(fund.lentOut),
      repaidIn: paise(fund.repaidIn),
    },
    fees,
    creditLines,
    loans: {
      count: book.count,
      active: book.active,
      closed: book.closed,
      disbursedPrincipal: paise(book.disbursedPrincipal),
      outstandingPrincipal: paise(book.outstandingPrincipal),
      principalRepaid: paise(book.principalRepaid),
      interestCollected: paise(book.interestCollected),
      overdueCount: book.overdueCount,
      par30: book.par30,
    },
  };
}
