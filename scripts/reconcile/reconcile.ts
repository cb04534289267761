import {
  compareCreditLine,
  compareLoan,
  compareNetwork,
  compareShg,
  type BookedLoan,
  type DashboardFigures,
  type Disagreement,
  type LendingLoan,
} from './compare';

export interface ServiceUrls {
  groups: string;
  lending: string;
  bankLinkage: string;
  reporting: string;
}

export interface ReconcileOptions {
  /** An access token with read access to everything (an auditor's). */
  token: () => Promise<string>;
  /** How long to wait for reporting's projections to catch up before comparing anyway. */
  catchUpMs?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** A disagreement is reported only if it is still there after this many re-reads (a view may be mid-update). */
  recheckRounds?: number;
}

export interface ReconcileReport {
  checked: { shgs: number; networks: number; loans: number; creditLines: number };
  /** Events reporting had not yet projected when the comparison ran (0 once caught up). */
  reportingLag: number;
  disagreements: Disagreement[];
  seconds: number;
}

class Api {
  constructor(
    private readonly token: () => Promise<string>,
    private readonly concurrency: number,
  ) {}

  private active = 0;
  private readonly waiting: (() => void)[] = [];

  /** GETs JSON as the caller; null for 404 (a view that does not know the object). */
  async get<T>(url: string): Promise<T | null> {
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      let response = await fetch(url, { headers: { authorization: `Bearer ${await this.token()}` } });
      // A service answering 503 (its database or the identity provider briefly away) says when to come back.
      for (let attempt = 1; response.status === 503 && attempt < 5; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 1000 * Number(response.headers.get('retry-after') ?? 2)));
        response = await fetch(url, { headers: { authorization: `Bearer ${await this.token()}` } });
      }
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  async list<T>(url: string): Promise<T[]> {
    return (await this.get<T[]>(url)) ?? [];
  }
}

async function waitForReporting(api: Api, reporting: string, catchUpMs: number): Promise<number> {
  const deadline = Date.now() + catchUpMs;
  for (;;) {
    const projections = await api.list<{ lag: number }>(`${reporting}/projections`);
    const lag = projections.reduce((total, p) => total + p.lag, 0);
    if (lag === 0 || Date.now() > deadline) return lag;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Reads every object the caller may see from its owner and from each view of it, and lists where they differ. */
async function compareAll(api: Api, urls: ServiceUrls): Promise<{ checked: ReconcileReport['checked']; disagreements: Disagreement[] }> {
  const { groups, lending, bankLinkage, reporting } = urls;
  const [shgs, networks, loanList, lines] = await Promise.all([
    api.list<{ id: string }>(`${groups}/shgs`),
    api.list<{ id: string }>(`${groups}/networks`),
    api.list<{ id: string; fundingSource: string }>(`${lending}/loans`),
    api.list<{ id: string }>(`${bankLinkage}/credit-lines`),
  ]);
  const loans: LendingLoan[] = (
    await Promise.all(
      loanList.map(async ({ id, fundingSource }) => {
        const loan = await api.get<Omit<LendingLoan, 'fundingSource'>>(`${lending}/loans/${id}`);
        return loan && { ...loan, fundingSource };
      }),
    )
  ).filter((loan): loan is LendingLoan => loan !== null);

  const statements = new Map<string, { loans: BookedLoan[] } & Record<string, unknown>>();
  const shgDisagreements = await Promise.all(
    shgs.map(async ({ id }) => {
      const [owned, statement] = await Promise.all([
        api.get<any>(`${groups}/shgs/${id}`),
        api.get<any>(`${reporting}/shgs/${id}/statement`),
      ]);
      if (statement) statements.set(id, statement);
      return owned ? compareShg(id, owned, statement, loans) : [];
    }),
  );
  const dashboards = new Map<string, DashboardFigures>();
  const bookedByNetwork = new Map<string, BookedLoan[]>();
  const networkDisagreements = await Promise.all(
    networks.map(async ({ id }) => {
      const [owned, funds, dashboard, booked] = await Promise.all([
        api.get<any>(`${groups}/networks/${id}`),
        api.get<any>(`${lending}/networks/${id}/funds`),
        api.get<DashboardFigures>(`${reporting}/networks/${id}/dashboard`),
        api.list<BookedLoan>(`${reporting}/networks/${id}/loans`),
      ]);
      if (dashboard) dashboards.set(id, dashboard);
      bookedByNetwork.set(id, booked);
      if (!owned || !funds) return [];
      return compareNetwork(id, { commonFund: owned.commonFund, memberShgCount: owned.memberShgIds.length }, funds, dashboard, loans);
    }),
  );
  const loanDisagreements = loans.flatMap((loan) => {
    const book = loan.lender.type === 'network' ? bookedByNetwork.get(loan.lender.id) : statements.get(loan.lender.id)?.loans;
    return book === undefined
      ? []
      : compareLoan(
          loan,
          book.find((booked) => booked.id === loan.id),
        );
  });
  const lineDisagreements = await Promise.all(
    lines.map(async ({ id }) => {
      const line = await api.get<any>(`${bankLinkage}/credit-lines/${id}`);
      if (!line || line.borrower.type !== 'network') return [];
      const dashboard =
        dashboards.get(line.borrower.id) ?? (await api.get<DashboardFigures>(`${reporting}/networks/${line.borrower.id}/dashboard`));
      return compareCreditLine(
        line,
        dashboard?.creditLines.find((shown) => shown.id === id),
      );
    }),
  );
  return {
    checked: { shgs: shgs.length, networks: networks.length, loans: loans.length, creditLines: lines.length },
    disagreements: [...shgDisagreements.flat(), ...networkDisagreements.flat(), ...loanDisagreements, ...lineDisagreements.flat()],
  };
}

const keyOf = (d: Disagreement) => `${d.kind} ${d.id} ${d.figure}`;

/**
 * `npm run reconcile`: waits for reporting to catch up (or notes its lag), compares every derived
 * view with its owner, and re-reads what disagrees so that a view caught mid-update is not reported.
 */
export async function reconcile(urls: ServiceUrls, options: ReconcileOptions): Promise<ReconcileReport> {
  const started = Date.now();
  const api = new Api(options.token, options.concurrency ?? 8);
  const reportingLag = await waitForReporting(api, urls.reporting, options.catchUpMs ?? 60_000);
  let result = await compareAll(api, urls);
  for (let round = 0; round < (options.recheckRounds ?? 3) && result.disagreements.length > 0; round++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const again = await compareAll(api, urls);
    const still = new Set(again.disagreements.map(keyOf));
    result = {
      checked: again.checked,
      disagreements: result.disagreements
        .filter((d) => still.has(keyOf(d)))
        .map((d) => again.disagreements.find((a) => keyOf(a) === keyOf(d))!),
    };
  }
  return { ...result, reportingLag, seconds: Math.round((Date.now() - started) / 100) / 10 };
}
