import { html, render } from 'lit-html';
import { Api, ApiError, type Services } from './api';
import { Context, type Me, type Page, type View } from './app';
import { signedInUser, userManager, type OidcSettings } from './auth';
import { clearCharts } from './charts';
import { LABELS, savedLanguage, saveLanguage } from './i18n';
import type { Language } from './money';
import { collectionSheetPage } from './pages/collection-sheet';
import { dashboardPage } from './pages/dashboard';
import { loanPage } from './pages/loan';
import { networksPage } from './pages/networks';
import { operationsPage } from './pages/operations';
import { problem } from './pages/parts';
import { statementPage } from './pages/statement';

/** Hash routes: the console is one static page, and a link or reload lands on the same screen. */
const ROUTES: [RegExp, Page][] = [
  [/^\/?$/, networksPage],
  [/^\/networks\/([^/]+)$/, dashboardPage],
  [/^\/shgs\/([^/]+)$/, statementPage],
  [/^\/shgs\/([^/]+)\/collection$/, collectionSheetPage],
  [/^\/loans\/([^/]+)$/, loanPage],
  [/^\/operations$/, operationsPage],
];

const root = document.getElementById('app')!;

async function start(): Promise<void> {
  const config = (await (await fetch('/config.json')).json()) as { oidc: OidcSettings; services: Services };
  const manager = userManager(config.oidc);
  const user = await signedInUser(manager);
  if (!user) return;
  const api = new Api(config.services, async () => ((await manager.getUser()) ?? (await manager.signinSilent()))!.access_token);
  const me = await api.get<Me>('groups', '/me');
  saveLanguage(savedLanguage());
  let draw: ((context: Context) => View) | undefined;
  let failure: string | undefined;
  const context = new Context(api, me, savedLanguage(), () => show());

  const shell = (view: View) => html`
    <a
      class="skip"
      href="#main"
      @click=${(e: Event) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}
      >${context.t('skipToContent')}</a
    >
    <header>
      <span class="brand">${context.t('appName')}</span>
      <nav aria-label=${context.t('appName')}>
        <a href="#/">${context.t('navNetworks')}</a>
        ${context.can('operator') ? html`<a href="#/operations">${context.t('navOperations')}</a>` : ''}
      </nav>
      <div class="user">
        <label for="language">${context.t('language')}</label>
        <select id="language" @change=${(e: Event) => setLanguage((e.target as HTMLSelectElement).value as Language)}>
          <option value="en" ?selected=${context.language === 'en'}>English</option>
          <option value="hi" ?selected=${context.language === 'hi'}>हिन्दी</option>
        </select>
        <span>${context.t('signedInAs')} <strong>${me.username}</strong></span>
        <button type="button" class="secondary" @click=${() => manager.signoutRedirect()}>${context.t('signOut')}</button>
      </div>
    </header>
    <main id="main" tabindex="-1">
      <h1>${view.title}</h1>
      ${view.body}
    </main>
  `;

  function show(): void {
    clearCharts();
    const view: View = failure
      ? { title: context.t('somethingWrong'), body: problem(failure) }
      : draw
        ? draw(context)
        : { title: context.t('loading'), body: html`<p class="loading" role="status">${context.t('loading')}</p>` };
    document.title = `${view.title} · ${context.t('appName')}`;
    render(shell(view), root);
    view.mounted?.();
  }

  function setLanguage(language: Language): void {
    saveLanguage(language);
    context.language = language;
    show();
  }

  async function route(): Promise<void> {
    const [path, search] = location.hash.slice(1).split('?');
    const match = ROUTES.map(([pattern, page]) => [pattern.exec(path || '/'), page] as const).find(([found]) => found);
    draw = undefined;
    failure = undefined;
    show();
    if (!match) {
      failure = LABELS[context.language].notFound;
      return show();
    }
    const [found, page] = match;
    try {
      draw = await page(context, found!.slice(1), new URLSearchParams(search));
    } catch (error) {
      failure =
        error instanceof ApiError && error.status === 404 ? context.t('notFound') : error instanceof Error ? error.message : String(error);
    }
    show();
    document.getElementById('main')?.focus();
  }

  window.addEventListener('hashchange', () => void route());
  await route();
}

start().catch((error) => render(problem(error instanceof Error ? error.message : String(error)), root));
