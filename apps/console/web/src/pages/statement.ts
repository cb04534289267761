import { html } from 'lit-html';
import { ApiError } from '../api';
import { today, type Context, type Page } from '../app';
import { isDate } from '../dates';
import { asOfForm, figure } from './parts';

interface Statement {
  shgId: string;
  savingsBalance: number;
  pooledSavings: number;
  lentToMembers: number;
  interestEarned: number;
  feesOwed: { year: number; outstanding: number }[];
  loans: {
    id: string;
    lender: { type: string; id: string };
    borrower: { type: string; id: string };
    purpose: string;
    principal: number;
    outstandingPrincipal: number;
    status: string;
    daysPastDue: number;
  }[];
}

export interface Shg {
  id: string;
  name: string;
  village: string;
  members: { id: string; name: string; role: string; savings: number }[];
  networkId: string | null;
}

/** A bank officer reads the statement of an SHG on their line but not the SHG itself (groups): then only the statement shows. */
export const readShg = (context: Context, shgId: string): Promise<Shg | undefined> =>
  context.api.get<Shg>('groups', `/shgs/${shgId}`).catch((error) => {
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return undefined;
    throw error;
  });

export const statementPage: Page = async (context, [shgId], query) => {
  const asOf = isDate(query.get('asOf')) ? query.get('asOf')! : today();
  const [statement, shg] = await Promise.all([
    context.api.get<Statement>('reporting', `/shgs/${shgId}/statement?asOf=${asOf}`),
    readShg(context, shgId),
  ]);
  return (c: Context) => {
    const sums = ['savingsBalance', 'pooledSavings', 'lentToMembers', 'interestEarned'] as const;
    const body = html`
      ${shg ? html`<p>${c.t('village')}: ${shg.village}</p>` : ''} ${asOfForm(c, asOf)}
      ${c.can('field-officer') && shg ? html`<p><a class="button" href="#/shgs/${shgId}/collection">${c.t('collectionSheet')}</a></p>` : ''}
      <dl class="figures">
        ${sums.map(
          (key) =>
            html`<div>
              <dt>${c.t(key)}</dt>
              <dd>${figure('statement', key, c.money(statement[key]))}</dd>
            </div>`,
        )}
      </dl>
      <section aria-labelledby="fees-owed-heading">
        <h2 id="fees-owed-heading">${c.t('feesOwed')}</h2>
        ${
          statement.feesOwed.length === 0
            ? html`<p>${c.t('none')}</p>`
            : html`<ul>
                ${statement.feesOwed.map((fee, i) => html`<li>${fee.year}: ${figure('statement', `feesOwed.${i}.outstanding`, c.money(fee.outstanding))}</li>`)}
              </ul>`
        }
      </section>
      <section aria-labelledby="shg-loans-heading">
        <h2 id="shg-loans-heading">${c.t('loans')}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">${c.t('purpose')}</th>
                <th scope="col">${c.t('principal')}</th>
                <th scope="col">${c.t('outstandingPrincipal')}</th>
                <th scope="col">${c.t('status')}</th>
                <th scope="col">${c.t('daysPastDue')}</th>
              </tr>
            </thead>
            <tbody>
              ${statement.loans.map(
                (loan, i) =>
                  html`<tr>
                    <th scope="row"><a href="#/loans/${loan.id}?asOf=${asOf}">${loan.purpose}</a></th>
                    <td class="num">${figure('statement', `loans.${i}.principal`, c.money(loan.principal))}</td>
                    <td class="num">${figure('statement', `loans.${i}.outstandingPrincipal`, c.money(loan.outstandingPrincipal))}</td>
                    <td>${c.term(loan.status)}</td>
                    <td class="num">${figure('statement', `loans.${i}.daysPastDue`, c.count(loan.daysPastDue))}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>
      ${
        shg
          ? html`<section aria-labelledby="members-heading">
              <h2 id="members-heading">${c.t('memberList')}</h2>
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">${c.t('name')}</th>
                      <th scope="col">${c.t('role')}</th>
                      <th scope="col">${c.t('savings')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${shg.members.map(
                      (m, i) =>
                        html`<tr>
                          <th scope="row">${m.name}</th>
                          <td>${c.term(m.role)}</td>
                          <td class="num">${figure('shg', `members.${i}.savings`, c.money(m.savings))}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
            </section>`
          : ''
      }
    `;
    return { title: `${c.t('statement')}: ${shg?.name ?? shgId.slice(0, 8)}`, body };
  };
};
