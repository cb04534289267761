import { html } from 'lit-html';
import { today, type Context, type Page } from '../app';
import { isDate } from '../dates';
import { asOfForm, figure } from './parts';

interface Loan {
  id: string;
  status: string;
  purpose: string;
  principal: number;
  outstandingPrincipal: number;
  interestPaid: number;
  principalPaid: number;
  daysPastDue: number;
  schedule: { number: number; dueOn: string; principal: number; interest: number; paidPrincipal: number; paidInterest: number }[];
}

type Installment = Loan['schedule'][number];

/** Paid in full, overdue (due before asOf and not paid in full), partly paid, or simply due. */
const stateOf = (
  installment: Installment,
  asOf: string,
): 'installmentPaid' | 'installmentOverdue' | 'installmentPartly' | 'installmentDue' =>
  installment.paidPrincipal === installment.principal && installment.paidInterest === installment.interest
    ? 'installmentPaid'
    : installment.dueOn < asOf
      ? 'installmentOverdue'
      : installment.paidPrincipal + installment.paidInterest > 0
        ? 'installmentPartly'
        : 'installmentDue';

export const loanPage: Page = async (context, [loanId], query) => {
  const asOf = isDate(query.get('asOf')) ? query.get('asOf')! : today();
  const loan = await context.api.get<Loan>('lending', `/loans/${loanId}?asOf=${asOf}`);
  return (c: Context) => {
    const sums = ['principal', 'outstandingPrincipal', 'principalPaid', 'interestPaid'] as const;
    const body = html`
      ${asOfForm(c, asOf)}
      <dl class="figures">
        <div>
          <dt>${c.t('status')}</dt>
          <dd>${c.term(loan.status)}</dd>
        </div>
        ${sums.map(
          (key) =>
            html`<div>
              <dt>${c.t(key)}</dt>
              <dd>${figure('loan', key, c.money(loan[key]))}</dd>
            </div>`,
        )}
        <div>
          <dt>${c.t('daysPastDue')}</dt>
          <dd>${figure('loan', 'daysPastDue', c.count(loan.daysPastDue))}</dd>
        </div>
      </dl>
      <section aria-labelledby="schedule-heading">
        <h2 id="schedule-heading">${c.t('schedule')}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">${c.t('installment')}</th>
                <th scope="col">${c.t('dueOn')}</th>
                <th scope="col">${c.t('principal')}</th>
                <th scope="col">${c.t('interest')}</th>
                <th scope="col">${c.t('paidPrincipal')}</th>
                <th scope="col">${c.t('paidInterest')}</th>
                <th scope="col">${c.t('status')}</th>
              </tr>
            </thead>
            <tbody>
              ${loan.schedule.map(
                (row, i) =>
                  html`<tr class=${stateOf(row, asOf) === 'installmentOverdue' ? 'late' : ''}>
                    <th scope="row">${row.number}</th>
                    <td>${row.dueOn}</td>
                    ${(['principal', 'interest', 'paidPrincipal', 'paidInterest'] as const).map((key) => html`<td class="num">${figure('loan', `schedule.${i}.${key}`, c.money(row[key]))}</td>`)}
                    <td>${c.t(stateOf(row, asOf))}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>
    `;
    return { title: `${c.t('loan')}: ${loan.purpose}`, body };
  };
};
