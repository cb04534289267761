import { html } from 'lit-html';
import { today, type Context, type Page } from '../app';
import { isFrozen, newEntry, pending, requestFor, settle, type Entry, type Sheet } from '../collection';
import { parseRupees, rupeesText } from '../money';
import { readShg } from './statement';
import { formText, problem } from './parts';

interface ListedLoan {
  id: string;
  borrower: { type: 'shg' | 'member'; id: string };
  status: string;
}

const newKey = () => crypto.randomUUID();
const stored = (shgId: string) => `sangam.sheet.${shgId}`;

/** The sheet survives a reload of the tab, keys included: what was sent before is sent with the same keys. */
function loadSheet(shgId: string, entries: Entry[]): Sheet {
  const saved = JSON.parse(sessionStorage.getItem(stored(shgId)) ?? 'null') as Sheet | null;
  const byId = new Map(saved?.entries.map((entry) => [entry.id, entry]));
  return { shgId, meetingDate: saved?.meetingDate ?? today(), entries: entries.map((entry) => byId.get(entry.id) ?? entry) };
}

export const collectionSheetPage: Page = async (context, [shgId]) => {
  const [shg, loans] = await Promise.all([readShg(context, shgId), context.api.get<ListedLoan[]>('lending', '/loans')]);
  if (!shg) throw new Error(context.t('notFound'));
  const memberIds = new Set(shg.members.map((m) => m.id));
  const active = loans.filter((loan) => loan.status === 'active');
  const loansOf = (borrowerId: string) => active.filter((loan) => loan.borrower.id === borrowerId);
  const shgLoans = active.filter((loan) => loan.borrower.type === 'shg' && loan.borrower.id === shgId);
  const memberLoans = active.filter((loan) => loan.borrower.type === 'member' && memberIds.has(loan.borrower.id));
  let sheet = loadSheet(shgId, [
    ...shg.members.map((m) => newEntry('deposit', m.id, newKey)),
    ...[...memberLoans, ...shgLoans].map((loan) => newEntry('repayment', loan.id, newKey)),
  ]);
  let busy = false;
  let notice = '';
  const invalid = new Set<string>();

  const save = () => sessionStorage.setItem(stored(shgId), JSON.stringify(sheet));
  const replace = (next: Entry) => {
    sheet = { ...sheet, entries: sheet.entries.map((entry) => (entry.id === next.id ? next : entry)) };
    save();
  };
  const entry = (id: string) => sheet.entries.find((e) => e.id === id)!;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    invalid.clear();
    if (!sheet.entries.some(isFrozen)) sheet = { ...sheet, meetingDate: formText(form.get('meetingDate')) };
    for (const e of sheet.entries.filter((e) => !isFrozen(e))) {
      const amount = parseRupees(formText(form.get(e.id)));
      if (Number.isNaN(amount)) invalid.add(e.id);
      else replace({ ...e, amount });
    }
    const toSend = pending(sheet);
    notice = invalid.size > 0 ? '' : toSend.length === 0 ? context.t('nothingToSubmit') : '';
    if (invalid.size > 0 || toSend.length === 0) return context.refresh();
    busy = true;
    context.refresh();
    // One at a time: the deposits are facts on one SHG's stream, and a meeting is written down in order.
    for (const e of toSend) {
      const { service, path, body } = requestFor(sheet, e);
      const answer = await context.api.send('POST', service, path, body, e.idempotencyKey).catch(() => undefined);
      replace(settle(entry(e.id), answer, newKey));
      context.refresh();
    }
    busy = false;
    context.refresh();
  };

  const startOver = () => {
    sessionStorage.removeItem(stored(shgId));
    sheet = loadSheet(
      shgId,
      sheet.entries.map((e) => newEntry(e.kind, e.target, newKey)),
    );
    context.refresh();
  };

  return (c: Context) => {
    const result = (e: Entry) => {
      if (invalid.has(e.id)) return html`<span class="refused">${c.t('notAnAmount')}</span>`;
      switch (e.outcome.state) {
        case 'recorded':
          return html`<span class="recorded">✓ ${c.t('recorded')}</span>`;
        case 'refused':
          return html`<span class="refused">✗ ${c.t('refused')}: ${e.outcome.message}</span>`;
        case 'unsure':
          return html`<span class="unsure">${c.t('connectionLost')}</span>`;
        default:
          return '';
      }
    };
    const amountField = (e: Entry, label: string) =>
      html` <label class="sr-only" for="f-${e.id}">${label}</label>
        <input
          id="f-${e.id}"
          name=${e.id}
          inputmode="decimal"
          autocomplete="off"
          class="amount"
          .value=${e.amount === undefined ? '' : rupeesText(e.amount)}
          ?disabled=${isFrozen(e) || busy}
          aria-invalid=${invalid.has(e.id) ? 'true' : 'false'}
          aria-describedby="r-${e.id}"
        />
        <div id="r-${e.id}" class="entry-result" data-entry=${e.id}>${result(e)}</div>`;
    const repaymentFields = (borrowerId: string, who: string) =>
      loansOf(borrowerId).map((loan) => amountField(entry(`repayment:${loan.id}`), `${c.t('repaymentFor')} ${who}`));
    const dateFrozen = sheet.entries.some(isFrozen);
    const body = html`
      <p>${c.t('sheetHelp')}</p>
      <form class="sheet" @submit=${submit} novalidate>
        <label for="meeting-date">${c.t('meetingDate')}</label>
        <input id="meeting-date" name="meetingDate" type="date" required .value=${sheet.meetingDate} ?disabled=${dateFrozen || busy} />
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">${c.t('member')}</th>
                <th scope="col">${c.t('deposit')}</th>
                <th scope="col">${c.t('repayment')}</th>
              </tr>
            </thead>
            <tbody>
              ${shg.members.map(
                (m) =>
                  html`<tr data-member=${m.id}>
                    <th scope="row">${m.name}</th>
                    <td data-label=${c.t('deposit')}>${amountField(entry(`deposit:${m.id}`), `${c.t('depositFor')} ${m.name}`)}</td>
                    <td data-label=${loansOf(m.id).length > 0 ? c.t('repayment') : ''}>${repaymentFields(m.id, m.name)}</td>
                  </tr>`,
              )}
              ${
                shgLoans.length > 0
                  ? html`<tr>
                      <th scope="row">${c.t('shgLoan')}</th>
                      <td></td>
                      <td data-label=${c.t('repayment')}>${repaymentFields(shgId, `${c.t('shgLoan')} (${shg.name})`)}</td>
                    </tr>`
                  : ''
              }
            </tbody>
          </table>
        </div>
        ${notice ? problem(notice) : ''}
        <div class="actions">
          <button type="submit" ?disabled=${busy}>${busy ? c.t('submitting') : c.t('submitSheet')}</button>
          <button
            type="button"
            class="secondary"
            @click=${startOver}
            ?disabled=${busy || sheet.entries.some((e) => e.outcome.state === 'unsure')}
          >
            ${c.t('newMeeting')}
          </button>
        </div>
        <p class="sr-only" role="status" aria-live="polite">
          ${c.t('recorded')}: ${sheet.entries.filter((e) => e.outcome.state === 'recorded').length}
        </p>
      </form>
    `;
    return { title: `${c.t('collectionSheet')}: ${shg.name}`, body };
  };
};
