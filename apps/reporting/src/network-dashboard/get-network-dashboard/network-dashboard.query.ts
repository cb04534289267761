import type { EntityManager } from 'typeorm';
import { loansLentByNetwork } from '../../loan-book/booked-loans';
import { summarizeLoanBook } from '../../loan-book/loan-book-summary';
import { paise } from '../../shared/paise';
import { commonFund } from '../common-fund';
import { findNetwork } from '../networks';
import type { CreditLineView, FeeYearView, NetworkDashboardView } from './network-dashboard.view';

/**
 * Fee years as of `asOf`: an SHG is unpaid for a year while what it paid by then is less than what
 * it was assessed. A fee paid (by its business date) before it was assessed counts from the
 * assessment on, so no date shows more collected than assessed.
 */
const feeYears = async (manager: EntityManager, networkId: string, asOf: string): Promise<FeeYearView[]> => {
  const rows: { year: number; assessed: string; collected: string; unpaid: string[] | null }[] = await manager.query(
    `SELECT year, sum(assessed) AS assessed, sum(paid) AS collected,
            array_agg(shg_id ORDER BY shg_id) FILTER (WHERE paid < assessed) AS unpaid
     FROM (SELECT year, shg_id, sum(assessed) AS assessed, sum(paid) AS paid FROM network_fees
           WHERE network_id = $1 AND recorded_on <= $2 GROUP BY year, shg_id HAVING sum(assessed) > 0) AS fees_by_shg
     GROUP BY year ORDER BY year`,
    [networkId, asOf],
  );
  return rows.map((row) => ({
    year: row.year,
    assessed: paise(row.assessed),
    collected: paise(row.collected),
    outstanding: paise(BigInt(row.assessed) - BigInt(row.collected)),
    unpaidShgIds: row.unpaid ?? [],
  }));
};

/** The network's lines sanctioned by `asOf`, with what was drawn, repaid and charged by then. */
const networkCreditLines = async (manager: EntityManager, networkId: string, asOf: string): Promise<CreditLineView[]> => {
  const rows: Record<
    'credit_line_id' | 'bank_id' | 'credit_limit' | 'drawn' | 'principal_repaid' | 'interest_charged' | 'interest_paid',
    string
  >[] = await manager.query(
    `SELECT l.credit_line_id, l.bank_id, l.credit_limit,
              COALESCE(sum(m.drawn), 0) AS drawn, COALESCE(sum(m.principal_repaid), 0) AS principal_repaid,
              COALESCE(sum(m.interest_charged), 0) AS interest_charged, COALESCE(sum(m.interest_paid), 0) AS interest_paid
       FROM credit_lines l LEFT JOIN credit_line_movements m ON m.credit_line_id = l.credit_line_id AND m.moved_on <= $2
       WHERE l.borrower_type = 'network' AND l.borrower_id = $1 AND l.sanctioned_on <= $2
       GROUP BY l.credit_line_id ORDER BY l.sanctioned_on, l.credit_line_id`,
    [networkId, asOf],
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

const totalOf = async (manager: EntityManager, sql: string, networkId: string, asOf: string): Promise<bigint> => {
  const [{ total }]: { total: string }[] = await manager.query(sql, [networkId, asOf]);
  return BigInt(total);
};

/** Reads the dashboard as it stood on `asOf` from the network-dashboard and loan-book tables; null for a network not (yet) known. */
export async function readNetworkDashboard(manager: EntityManager, networkId: string, asOf: string): Promise<NetworkDashboardView | null> {
  const network = await findNetwork(manager, networkId);
  if (!network) return null;
  const memberShgCount = await totalOf(
    manager,
    `SELECT count(*) AS total FROM (SELECT shg_id FROM network_members WHERE network_id = $1 AND changed_on <= $2
                                   GROUP BY shg_id HAVING sum(joins) > sum(exits)) AS members`,
    networkId,
    asOf,
  );
  const contributions = await totalOf(
    manager,
    `SELECT COALESCE(sum(amount), 0) AS total FROM fund_contributions WHERE network_id = $1 AND contributed_on <= $2`,
    networkId,
    asOf,
  );
  const fees = await feeYears(manager, networkId, asOf);
  const creditLines = await networkCreditLines(manager, networkId, asOf);
  const loans = await loansLentByNetwork(manager, networkId, asOf);
  const feesCollected = fees.reduce((total, year) => total + BigInt(year.collected), 0n);
  const fund = commonFund(feesCollected, contributions, loans, asOf);
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
