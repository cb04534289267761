import { html } from 'lit-html';
import { ApiError } from '../api';
import type { Context, Page } from '../app';

interface Listed {
  id: string;
  name: string;
}
interface ListedShg extends Listed {
  networkId: string | null;
}
interface CreditLineItem {
  id: string;
  bankId: string;
  borrower: { type: 'network' | 'shg'; id: string };
  limit: number;
}

type Scope = { kind: 'groups'; networks: Listed[]; shgs: ListedShg[] } | { kind: 'bank'; lines: CreditLineItem[] } | { kind: 'none' };

/** Field officers, approvers, auditors and admins list what groups holds for them; a bank officer, the lines of their bank. */
async function loadScope(context: Context): Promise<Scope> {
  if (context.can('field-officer', 'approver', 'auditor')) {
    const [networks, shgs] = await Promise.all([
      context.api.get<Listed[]>('groups', '/networks'),
      context.api.get<ListedShg[]>('groups', '/shgs'),
    ]);
    return { kind: 'groups', networks, shgs };
  }
  if (context.can('bank-officer')) return { kind: 'bank', lines: await context.api.get<CreditLineItem[]>('bankLinkage', '/credit-lines') };
  return { kind: 'none' };
}

export const networksPage: Page = async (context) => {
  const scope = await loadScope(context).catch((error): Scope => {
    if (error instanceof ApiError && error.status === 403) return { kind: 'none' };
    throw error;
  });
  return (c) => {
    const shgLink = (shg: Listed) => html`<li><a href="#/shgs/${shg.id}">${shg.name}</a></li>`;
    const body =
      scope.kind === 'groups'
        ? html`
            <section aria-labelledby="networks-heading">
              <h2 id="networks-heading">${c.t('networks')}</h2>
              ${scope.networks.length === 0 ? html`<p>${c.t('nothingToList')}</p>` : ''}
              <ul class="cards">
                ${scope.networks.map(
                  (network) =>
                    html`<li class="card" data-network=${network.id}>
                      <h3><a href="#/networks/${network.id}">${network.name}</a></h3>
                      <ul class="shg-list" aria-label="${c.t('shgs')}: ${network.name}">
                        ${scope.shgs.filter((shg) => shg.networkId === network.id).map(shgLink)}
                      </ul>
                    </li>`,
                )}
              </ul>
            </section>
            ${
              scope.shgs.some((shg) => !scope.networks.some((n) => n.id === shg.networkId))
                ? html`<section aria-labelledby="lone-shgs-heading">
                    <h2 id="lone-shgs-heading">${c.t('shgsOutsideNetworks')}</h2>
                    <ul class="shg-list">
                      ${scope.shgs.filter((shg) => !scope.networks.some((n) => n.id === shg.networkId)).map(shgLink)}
                    </ul>
                  </section>`
                : ''
            }
          `
        : scope.kind === 'bank'
          ? html`<section aria-labelledby="lines-heading">
              <h2 id="lines-heading">${c.t('creditLinesOfYourBank')}</h2>
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">${c.t('borrower')}</th>
                      <th scope="col">${c.t('limit')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${scope.lines.map(
                      (line) =>
                        html`<tr>
                          <td>
                            <a href=${line.borrower.type === 'network' ? `#/networks/${line.borrower.id}` : `#/shgs/${line.borrower.id}`}
                              >${c.t(line.borrower.type === 'network' ? 'dashboard' : 'statement')} ${line.borrower.id.slice(0, 8)}</a
                            >
                          </td>
                          <td class="num">${c.money(line.limit)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
            </section>`
          : html`<p>${c.t('nothingToList')}</p>`;
    return { title: c.t('myNetworks'), body };
  };
};
