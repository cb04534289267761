import type { Client } from 'pg';
import { EVENT_COLUMNS, toEnvelope, toStoredEvent } from '@sangam/event-store';
import type { EventEnvelope } from '@sangam/messaging';
import { httpClient, waitFor, type HttpClient } from '@sangam/testing';

export interface LoanTerms {
  lender: { type: 'network' | 'shg'; id: string };
  borrower: { type: 'shg' | 'member'; id: string };
  principal: number;
  annualInterestRateBps: number;
  termMonths: number;
  interestMethod: 'flat' | 'declining';
  purpose: string;
  funding: { source: 'common-fund' | 'shg-savings' | 'credit-line'; creditLineId?: string };
}

/**
 * The lending API as a client sees it, plus a look at lending's views to wait for Kafka to deliver.
 * Applications are recorded by `field1` (GroupsFacts grants them every network and SHG it forms),
 * everything else by `admin`: four eyes never lets one user apply and approve.
 */
export class LendingApi {
  readonly get: HttpClient['get'];
  private readonly admin: HttpClient;
  private readonly fieldOfficer: HttpClient;

  constructor(
    url: string,
    private readonly db: Client,
  ) {
    this.admin = httpClient(url, 'admin');
    this.fieldOfficer = httpClient(url, 'field1');
    this.get = this.admin.get;
  }

  readonly post: HttpClient['post'] = (path, body, headers) =>
    path === '/loans' ? this.applyOnceGranted(body, headers) : this.admin.post(path, body, headers);

  /** Lending learns of field1's grant from groups' events: until it has, the lender is not found. */
  private async applyOnceGranted(body: unknown, headers?: Record<string, string>) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const answer = await this.fieldOfficer.post('/loans', body, headers);
      if (answer.status !== 404 || Date.now() > deadline) return answer;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Applies and approves; returns the loan id. */
  async approvedLoan(terms: LoanTerms, approvedOn = '2005-06-01'): Promise<string> {
    const applied = await this.post('/loans', terms);
    if (applied.status !== 201) throw new Error(`apply answered ${applied.status} ${JSON.stringify(applied.body)}`);
    const approved = await this.post(`/loans/${applied.body.id}/approval`, { approvedOn });
    if (approved.status !== 201) throw new Error(`approval answered ${approved.status} ${JSON.stringify(approved.body)}`);
    return applied.body.id;
  }

  loan(id: string, asOf?: string) {
    return this.get(`/loans/${id}${asOf ? `?asOf=${asOf}` : ''}`);
  }

  async waitForStatus(id: string, status: string) {
    return waitFor(async () => {
      const { body } = await this.loan(id);
      expect(body.status).toBe(status);
      return body;
    });
  }

  /** Waits until lending's view shows the lender with exactly this much to lend. */
  async waitForAvailable(type: 'network' | 'shg', id: string, amount: number) {
    await waitFor(async () => {
      const { rows } = await this.db.query(
        `SELECT (raised - lent_out + repaid_in)::text AS available FROM lender_funds WHERE lender_type = $1 AND lender_id = $2`,
        [type, id],
      );
      expect(rows[0]?.available).toBe(String(amount));
    });
  }

  async waitForMembership(networkId: string, shgId: string, member: boolean) {
    await waitFor(async () => {
      const { rowCount } = await this.db.query(`SELECT 1 FROM network_memberships WHERE network_id = $1 AND shg_id = $2 AND is_member`, [
        networkId,
        shgId,
      ]);
      expect(rowCount).toBe(member ? 1 : 0);
    });
  }

  async waitForMember(memberId: string) {
    await waitFor(async () => {
      const { rowCount } = await this.db.query(`SELECT 1 FROM shg_members WHERE member_id = $1`, [memberId]);
      expect(rowCount).toBe(1);
    });
  }

  /** Waits until the service's consumer has handled (or dead-lettered) everything up to these offsets. */
  async waitUntilConsumed(consumer: string, topic: string, endOffsets: { partition: number; offset: string }[]) {
    await waitFor(async () => {
      const { rows } = await this.db.query(
        `SELECT partition, next_offset::text FROM consumer_checkpoints WHERE consumer = $1 AND topic = $2`,
        [consumer, topic],
      );
      const reached = new Map(rows.map((r) => [r.partition, BigInt(r.next_offset)]));
      const behind = endOffsets.filter(({ partition, offset }) => (reached.get(partition) ?? 0n) < BigInt(offset));
      expect(behind).toEqual([]);
    });
  }

  /** The loan's LoanDisbursementRequested as committed, before the relay has published it. */
  async disbursementRequest(loanId: string): Promise<EventEnvelope> {
    const { rows } = await this.db.query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND type = 'LoanDisbursementRequested'`,
      [loanId],
    );
    return toEnvelope(toStoredEvent(rows[0]));
  }

  async storedEventTypes(loanId: string): Promise<string[]> {
    const { rows } = await this.db.query(`SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version`, [loanId]);
    return rows.map((r) => r.type);
  }
}

export const networkLoan = (networkId: string, shgId: string, overrides: Partial<LoanTerms> = {}): LoanTerms => ({
  lender: { type: 'network', id: networkId },
  borrower: { type: 'shg', id: shgId },
  principal: 1_000_000,
  annualInterestRateBps: 1200,
  termMonths: 12,
  interestMethod: 'flat',
  purpose: 'traditional products',
  funding: { source: 'common-fund' },
  ...overrides,
});

export const memberLoan = (shgId: string, memberId: string, overrides: Partial<LoanTerms> = {}): LoanTerms => ({
  lender: { type: 'shg', id: shgId },
  borrower: { type: 'member', id: memberId },
  principal: 100_000,
  annualInterestRateBps: 2400,
  termMonths: 6,
  interestMethod: 'declining',
  purpose: 'sewing machine',
  funding: { source: 'shg-savings' },
  ...overrides,
});
