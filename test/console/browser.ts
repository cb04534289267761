import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../../scripts/supervisor/build';

/** Screenshots of every page land here (git-ignored), for a person to look at after a run. */
export const ARTIFACTS = join(ROOT, 'test-artifacts/console');

/** Debian's Chromium (`apt-get install chromium`), headless, with a profile of its own that is thrown away. */
export async function launchChromium(): Promise<{
  open: (viewport?: { width: number; height: number }) => Promise<BrowserContext>;
  close: () => Promise<void>;
}> {
  const profiles: string[] = [];
  const contexts: BrowserContext[] = [];
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    open: async (viewport = { width: 1280, height: 900 }) => {
      const profile = mkdtempSync(join(tmpdir(), 'sangam-chromium-'));
      profiles.push(profile);
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
        viewport,
        // axe-core is injected as a script; the console's CSP would (rightly) refuse it.
        bypassCSP: true,
      });
      contexts.push(context);
      return context;
    },
    close: async () => {
      for (const context of contexts) await context.close().catch(() => undefined);
      for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Through the realm's own login page, as a person would. */
export async function signIn(page: Page, consoleUrl: string, username: string): Promise<void> {
  await page.goto(`${consoleUrl}/#/`);
  await page.waitForSelector('#username', { timeout: 30_000 });
  await page.fill('#username', username);
  await page.fill('#password', username);
  await page.click('#kc-login');
  // Signed in, the console opens on the user's networks; it says "Loading…" until the API answers.
  await page.locator('main h1', { hasText: 'My networks' }).waitFor({ timeout: 30_000 });
}

/** axe-core in the page: what it finds serious or critical. */
export async function seriousAccessibilityViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations: { id: string; impact: string; nodes: { target: string[] }[] }[] = await page.evaluate(
    'axe.run(document).then((result) => result.violations)',
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

export const screenshot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** Every figure the page shows, tagged by the console with the API answer and the field it comes from. */
export async function figuresOn(page: Page): Promise<{ source: string; path: string; text: string }[]> {
  const tagged = await page.$$eval('[data-figure]', (nodes) =>
    nodes.map((node) => [node.getAttribute('data-figure')!, node.textContent!.trim()]),
  );
  return tagged.map(([tag, text]) => {
    const [source, path] = tag.split('|');
    return { source, path, text };
  });
}

/**
 * A figure as the page wrote it, read back as the API's number: "Rs 36,216.66" is 3621666 paise,
 * "16.13%" is 0.1613, "1,234" is 1234. Parsed here independently of the console's formatter.
 */
export function shownValue(text: string): number {
  const money = /^(-?)(?:Rs|रु) ([\d,]+)(?:\.(\d{2}))?$/.exec(text);
  if (money) return Number(`${money[1]}${money[2].replace(/,/g, '')}${money[3] ?? '00'}`);
  const percent = /^([\d.]+)%$/.exec(text);
  if (percent) return Number((Number(percent[1]) / 100).toFixed(4));
  if (/^[\d,]+$/.test(text)) return Number(text.replace(/,/g, ''));
  throw new Error(`'${text}' is not a figure the console writes`);
}

export const at = (value: unknown, path: string): unknown => path.split('.').reduce<any>((object, key) => object?.[key], value);
