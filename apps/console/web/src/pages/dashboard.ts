import { html } from 'lit-html';
import { ApiError } from '../api';
import { today, type Context, type Page } from '../app';
import { COLOURS, drawChart, rupees } from '../charts';
import { isDate, trendDates } from '../dates';
import { asOfForm, figure } from './parts';

export interface Dashboard {
  networkId: string;
  name: string;
  memberShgCount: number;
  commonFund: { balance: number; feesCollected: number; contributions: number; lentOut: number; repaidIn: number };
  fees: { year: number; assessed: number; collected: number; outstanding: number; unpaidShgIds: string[] }[];
  creditLines: {
    id: string;
    bankId: string;
    limit: number;
    drawn: number;
    available: number;
    interestCharged: number;
    interestPaid: number;
  }[];
  loans: {
    count: number;
    active: number;
    closed: number;
    disbursedPrincipal: number;
    outstandingPrincipal: number;
    principalRepaid: number;
    interestCollected: number;
    overdueCount: number;
    par30: number;
  };
}

interface BookedLoan {
  id: string;
  borrowerShgId: string;
  purpose: string;
  principal: number;
  outstandingPrincipal: number;
  status: string;
  daysPastDue: number;
}

/** A read the caller's role does not include (a bank officer and the loan book) leaves that part out. */
const unlessForbidden = <T>(read: Promise<T>): Promise<T | undefined> =>
  read.catch((error) => {
    if (error instanceof ApiError && error.status === 403) return undefined;
    throw error;
  });

export const dashboardPage: Page = async (context, [networkId], query) => {
  const asOf = isDate(query.get('asOf')) ? query.get('asOf')! : today();
  const { api } = context;
  const dates = trendDates(asOf);
  const [dashboard, loans, shgs, trend] = await Promise.all([
    api.get<Dashboard>('reporting', `/networks/${networkId}/dashboard?asOf=${asOf}`),
    unlessForbidden(api.get<BookedLoan[]>('reporting', `/networks/${networkId}/loans?asOf=${asOf}`)),
    unlessForbidden(api.get<{ id: string; name: string }[]>('groups', '/shgs')),
    Promise.all(dates.map((date) => api.get<Dashboard>('reporting', `/networks/${networkId}/dashboard?asOf=${date}`))),
  ]);
  const shgName = (id: string) => shgs?.find((shg) => shg.id === id)?.name ?? id.slice(0, 8);

  return (c: Context) => {
    const { commonFund: fund } = dashboard;
    const fundParts = [
      ['feesCollected', fund.feesCollected],
      ['contributions', fund.contributions],
      ['lentOut', -fund.lentOut],
      ['repaidIn', fund.repaidIn],
      ['balance', fund.balance],
    ] as const;
    const mounted = () => {
      drawChart('chart-fund', {
        type: 'bar',
        data: {
          labels: fundParts.map(([key]) => c.t(key)),
          datasets: [
            {
              label: c.t('commonFund'),
              data: fundParts.map(([, paise]) => rupees(paise)),
              backgroundColor: [COLOURS.blue, COLOURS.blue, COLOURS.red, COLOURS.green, COLOURS.grey],
            },
          ],
        },
        options: { plugins: { legend: { display: false } } },
      });
      drawChart('chart-fees', {
        type: 'bar',
        data: {
          labels: dashboard.fees.map((fee) => String(fee.year)),
          datasets: [
            { label: c.t('collected'), data: dashboard.fees.map((fee) => rupees(fee.collected)), backgroundColor: COLOURS.green },
            { label: c.t('outstanding'), data: dashboard.fees.map((fee) => rupees(fee.outstanding)), backgroundColor: COLOURS.orange },
          ],
        },
        options: { scales: { x: { stacked: true }, y: { stacked: true } } },
      });
      drawChart('chart-credit', {
        type: 'bar',
        data: {
          labels: dashboard.creditLines.map((line) => line.id.slice(0, 8)),
          datasets: [
            { label: c.t('drawn'), data: dashboard.creditLines.map((line) => rupees(line.drawn)), backgroundColor: COLOURS.orange },
            { label: c.t('available'), data: dashboard.creditLines.map((line) => rupees(line.available)), backgroundColor: COLOURS.green },
          ],
        },
        options: { indexAxis: 'y', scales: { x: { stacked: true }, y: { stacked: true } } },
      });
      drawChart('chart-trend', {
        type: 'line',
        data: {
          labels: dates.map((date) => date.slice(0, 7)),
          datasets: [
            {
              label: `${c.t('par30')} %`,
              data: trend.map((point) => point.loans.par30 * 100),
              borderColor: COLOURS.red,
              backgroundColor: COLOURS.red,
              yAxisID: 'par',
            },
            {
              label: c.t('outstandingPrincipal'),
              data: trend.map((point) => rupees(point.loans.outstandingPrincipal)),
              borderColor: COLOURS.blue,
              backgroundColor: COLOURS.blue,
              yAxisID: 'money',
            },
          ],
        },
        options: { scales: { par: { position: 'left', min: 0 }, money: { position: 'right', min: 0, grid: { drawOnChartArea: false } } } },
      });
    };

    const body = html`
      ${asOfForm(c, asOf)}
      <p>${c.t('members')}: ${figure('dashboard', 'memberShgCount', c.count(dashboard.memberShgCount))}</p>

      <section aria-labelledby="fund-heading">
        <h2 id="fund-heading">${c.t('commonFund')}</h2>
        <p class="equation">${c.t('commonFundEquation')}</p>
        <div class="chart"><canvas id="chart-fund" role="img" aria-label=${c.t('chartCommonFund')}></canvas></div>
        <dl class="figures">
          ${fundParts.map(
            ([key]) =>
              html`<div>
                <dt>${c.t(key)}</dt>
                <dd>${figure('dashboard', `commonFund.${key}`, c.money(fund[key]))}</dd>
              </div>`,
          )}
        </dl>
      </section>

      <section aria-labelledby="fees-heading">
        <h2 id="fees-heading">${c.t('feeCollection')}</h2>
        <div class="chart"><canvas id="chart-fees" role="img" aria-label=${c.t('chartFees')}></canvas></div>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">${c.t('year')}</th>
                <th scope="col">${c.t('assessed')}</th>
                <th scope="col">${c.t('collected')}</th>
                <th scope="col">${c.t('outstanding')}</th>
                <th scope="col">${c.t('stillOwe')}</th>
              </tr>
            </thead>
            <tbody>
              ${dashboard.fees.map(
                (fee, i) =>
                  html`<tr>
                    <th scope="row">${fee.year}</th>
                    <td class="num">${figure('dashboard', `fees.${i}.assessed`, c.money(fee.assessed))}</td>
                    <td class="num">${figure('dashboard', `fees.${i}.collected`, c.money(fee.collected))}</td>
                    <td class="num">${figure('dashboard', `fees.${i}.outstanding`, c.money(fee.outstanding))}</td>
                    <td>
                      ${
                        fee.unpaidShgIds.length === 0
                          ? c.t('none')
                          : html`<ul class="inline">
                              ${fee.unpaidShgIds.map((id) => html`<li><a href="#/shgs/${id}" data-unpaid=${id}>${shgName(id)}</a></li>`)}
                            </ul>`
                      }
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="credit-heading">
        <h2 id="credit-heading">${c.t('creditLines')}</h2>
        <div class="chart small"><canvas id="chart-credit" role="img" aria-label=${c.t('chartCredit')}></canvas></div>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">${c.t('creditLines')}</th>
                <th scope="col">${c.t('limit')}</th>
                <th scope="col">${c.t('drawn')}</th>
                <th scope="col">${c.t('available')}</th>
                <th scope="col">${c.t('interestCharged')}</th>
                <th scope="col">${c.t('interestPaid')}</th>
              </tr>
            </thead>
            <tbody>
              ${dashboard.creditLines.map(
                (line, i) =>
                  html`<tr>
                    <th scope="row">${line.id.slice(0, 8)}</th>
                    ${(['limit', 'drawn', 'available', 'interestCharged', 'interestPaid'] as const).map((key) => html`<td class="num">${figure('dashboard', `creditLines.${i}.${key}`, c.money(line[key]))}</td>`)}
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="book-heading">
        <h2 id="book-heading">${c.t('loanBook')}</h2>
        <dl class="figures">
          <div>
            <dt>${c.t('loans')}</dt>
            <dd>${figure('dashboard', 'loans.count', c.count(dashboard.loans.count))}</dd>
          </div>
          <div>
            <dt>${c.t('active')}</dt>
            <dd>${figure('dashboard', 'loans.active', c.count(dashboard.loans.active))}</dd>
          </div>
          <div>
            <dt>${c.t('closed')}</dt>
            <dd>${figure('dashboard', 'loans.closed', c.count(dashboard.loans.closed))}</dd>
          </div>
          ${(['disbursedPrincipal', 'outstandingPrincipal', 'principalRepaid', 'interestCollected'] as const).map(
            (key) =>
              html`<div>
                <dt>${c.t(key)}</dt>
                <dd>${figure('dashboard', `loans.${key}`, c.money(dashboard.loans[key]))}</dd>
              </div>`,
          )}
          <div>
            <dt>${c.t('overdueLoans')}</dt>
            <dd>${figure('dashboard', 'loans.overdueCount', c.count(dashboard.loans.overdueCount))}</dd>
          </div>
          <div>
            <dt>${c.t('par30')}</dt>
            <dd>${figure('dashboard', 'loans.par30', c.ratio(dashboard.loans.par30))}</dd>
          </div>
        </dl>
        ${
          loans
            ? html`<div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">${c.t('loan')}</th>
                      <th scope="col">${c.t('borrower')}</th>
                      <th scope="col">${c.t('principal')}</th>
                      <th scope="col">${c.t('outstandingPrincipal')}</th>
                      <th scope="col">${c.t('status')}</th>
                      <th scope="col">${c.t('daysPastDue')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${loans.map(
                      (loan, i) =>
                        html`<tr>
                          <th scope="row"><a href="#/loans/${loan.id}?asOf=${asOf}">${loan.purpose}</a></th>
                          <td><a href="#/shgs/${loan.borrowerShgId}">${shgName(loan.borrowerShgId)}</a></td>
                          <td class="num">${figure('loans', `${i}.principal`, c.money(loan.principal))}</td>
                          <td class="num">${figure('loans', `${i}.outstandingPrincipal`, c.money(loan.outstandingPrincipal))}</td>
                          <td>${c.term(loan.status)}</td>
                          <td class="num">${figure('loans', `${i}.daysPastDue`, c.count(loan.daysPastDue))}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
            : ''
        }
      </section>

      <section aria-labelledby="trend-heading">
        <h2 id="trend-heading">${c.t('trend')}</h2>
        <div class="chart"><canvas id="chart-trend" role="img" aria-label=${c.t('chartTrend')}></canvas></div>
        <details>
          <summary>${c.t('figures')}</summary>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">${c.t('month')}</th>
                  <th scope="col">${c.t('outstandingPrincipal')}</th>
                  <th scope="col">${c.t('par30')}</th>
                </tr>
              </thead>
              <tbody>
                ${trend.map(
                  (point, i) =>
                    html`<tr>
                      <th scope="row">${dates[i]}</th>
                      <td class="num">
                        ${figure(`trend:${dates[i]}`, 'loans.outstandingPrincipal', c.money(point.loans.outstandingPrincipal))}
                      </td>
                      <td class="num">${figure(`trend:${dates[i]}`, 'loans.par30', c.ratio(point.loans.par30))}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>
        </details>
      </section>
    `;
    return { title: dashboard.name, body, mounted };
  };
};
