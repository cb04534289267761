import type { TemplateResult } from 'lit-html';
import type { Api } from './api';
import { LABELS, term, type LabelKey } from './i18n';
import { formatCount, formatPaise, formatRatio, type Language } from './money';

export interface Me {
  userId: string;
  username: string;
  roles: string[];
}

/** What every page is given: the API, the user, and the current language's labels and formats. */
export class Context {
  constructor(
    readonly api: Api,
    readonly me: Me,
    public language: Language,
    /** Draws the current page again (after its state changed). */
    readonly refresh: () => void,
  ) {}

  t = (key: LabelKey): string => LABELS[this.language][key];
  /** A state or role as the API names it (`active`, `treasurer`), in the reader's language. */
  term = (value: string): string => term(this.language, value);
  money = (paise: number): string => formatPaise(paise, this.language);
  ratio = (ratio: number): string => formatRatio(ratio, this.language);
  count = (count: number): string => formatCount(count, this.language);
  can = (...roles: string[]): boolean => this.me.roles.some((role) => role === 'admin' || roles.includes(role));
}

/** What a page draws: its title, its body and what to do once it is in the document (charts). */
export interface View {
  title: string;
  body: TemplateResult;
  mounted?: () => void;
}

/** A page loads its data once, then returns how to draw it (again on a language change or its own refresh). */
export type Page = (context: Context, params: string[], query: URLSearchParams) => Promise<(context: Context) => View>;

export const today = (): string => new Date().toISOString().slice(0, 10);
