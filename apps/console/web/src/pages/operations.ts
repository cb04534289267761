import { html } from 'lit-html';
import type { ErrorBody } from '../api';
import type { Context, Page } from '../app';
import { problem } from './parts';

interface Delivery {
  id: string;
  bankId: string;
  webhookId: string;
  type: string | null;
  status: string;
  error: { code: string; message: string } | null;
  attempts: number;
  receivedAt: string;
}

interface Projection {
  name: string;
  status: string;
  lag: number;
  deadLetters: unknown[];
}

/** Operators: bank deliveries that failed (re-driven once the cause is fixed) and the read models' lag. */
export const operationsPage: Page = async (context) => {
  const [deliveries, projections] = await Promise.all([
    context.api.get<Delivery[]>('bankLinkage', '/webhooks/deliveries?status=failed'),
    context.api.get<Projection[]>('reporting', '/projections'),
  ]);
  const redriven = new Map<string, string>();

  const redrive = async (delivery: Delivery) => {
    const answer = await context.api.send('POST', 'bankLinkage', `/webhooks/deliveries/${delivery.id}/redrive`, {}).catch(() => undefined);
    redriven.set(
      delivery.id,
      answer?.status === 202 ? '' : ((answer?.body as ErrorBody | null | undefined)?.message ?? context.t('connectionLost')),
    );
    context.refresh();
  };

  return (c: Context) => {
    const body = html`
      <section aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">${c.t('failedDeliveries')}</h2>
        ${
          deliveries.length === 0
            ? html`<p>${c.t('noFailedDeliveries')}</p>`
            : html`<div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">${c.t('receivedAt')}</th>
                      <th scope="col">${c.t('bank')}</th>
                      <th scope="col">${c.t('type')}</th>
                      <th scope="col">${c.t('error')}</th>
                      <th scope="col">${c.t('attempts')}</th>
                      <th scope="col"><span class="sr-only">${c.t('redrive')}</span></th>
                    </tr>
                  </thead>
                  <tbody>
                    ${deliveries.map(
                      (d) =>
                        html`<tr data-delivery=${d.id}>
                          <th scope="row">${new Date(d.receivedAt).toLocaleString(c.language === 'hi' ? 'hi-IN' : 'en-IN')}</th>
                          <td>${d.bankId.slice(0, 8)}</td>
                          <td>${d.type ?? ''}</td>
                          <td>${d.error ? `${d.error.code}: ${d.error.message}` : ''}</td>
                          <td class="num">${d.attempts}</td>
                          <td>
                            ${
                              redriven.has(d.id)
                                ? redriven.get(d.id)
                                  ? problem(redriven.get(d.id)!)
                                  : html`<span class="recorded" role="status">${c.t('redriven')}</span>`
                                : html`<button type="button" @click=${() => redrive(d)} aria-label="${c.t('redrive')} ${d.webhookId}">
                                    ${c.t('redrive')}
                                  </button>`
                            }
                          </td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
        }
      </section>
      <section aria-labelledby="projections-heading">
        <h2 id="projections-heading">${c.t('projections')}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">${c.t('projection')}</th>
                <th scope="col">${c.t('status')}</th>
                <th scope="col">${c.t('lag')}</th>
                <th scope="col">${c.t('deadLetters')}</th>
              </tr>
            </thead>
            <tbody>
              ${projections.map(
                (p) =>
                  html`<tr>
                    <th scope="row">${p.name}</th>
                    <td>${c.term(p.status)}</td>
                    <td class="num">${c.count(p.lag)}</td>
                    <td class="num">${c.count(p.deadLetters.length)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>
    `;
    return { title: c.t('navOperations'), body };
  };
};
