import { html } from 'lit-html';
import type { Context } from '../app';

/**
 * A figure as shown, tagged with where it comes from (`dashboard` + `commonFund.balance`): the
 * browser test holds each one against the API's answer.
 */
export const figure = (source: string, path: string, text: string) =>
  html`<span class="figure" data-figure="${source}|${path}">${text}</span>`;

/** A form field's text: a file (or a missing field) reads as empty. */
export const formText = (value: FormDataEntryValue | null): string => (typeof value === 'string' ? value : '');

/** The "as of" date picker: changing it reads every figure again as of that date. */
export function asOfForm(c: Context, asOf: string) {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const date = formText(new FormData(event.target as HTMLFormElement).get('asOf'));
    location.hash = `${location.hash.split('?')[0]}?asOf=${date}`;
  };
  return html`<form class="as-of" @submit=${submit}>
    <label for="as-of">${c.t('asOf')}</label>
    <input id="as-of" name="asOf" type="date" required .value=${asOf} />
    <button type="submit">${c.t('show')}</button>
  </form>`;
}

/** An answer the API refused, in the contract's words. */
export const problem = (message: string) => html`<p class="problem" role="alert">${message}</p>`;
