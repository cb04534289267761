import type { Server } from 'node:http';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { waitFor } from '@sangam/testing';
import { loadConsoleConfig } from '../../apps/console/src/console-config';
import { createConsoleServer } from '../../apps/console/src/console-server';
import { runChanderiStory } from '../../scripts/demo/chanderi.story';
import { SangamClient } from '../../scripts/demo/sangam-client';
import { runSindhudurgStory, SINDHUDURG, type SindhudurgIds } from '../../scripts/demo/sindhudurg.story';
import { buildConsole, consoleStaleReason } from '../../scripts/supervisor/build';
import { startSystem, type RunningSystem } from '../system';
import { at, figuresOn, launchChromium, screenshot, seriousAccessibilityViolations, shownValue, signIn } from './browser';

/**
 * The web console in Debian's Chromium against the real services, broker and Keycloak: the
 * Sindhudurg story is played through the API, then its people use the console. The console is
 * served on CONSOLE_PORT (default 3000), where the realm's sangam-web client may redirect.
 */
// A page waits for the read models to catch up, on a machine that may be busy.
jest.setTimeout(300_000);

describe('the web console in a real browser', () => {
  let system: RunningSystem;
  let client: SangamClient;
  let story: SindhudurgIds;
  let server: Server;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let consoleUrl: string;
  const asOf = SINDHUDURG.asOf;

  beforeAll(async () => {
    if (consoleStaleReason()) buildConsole();
    system = await startSystem('sangam_test_console');
    client = new SangamClient(system.urls);
    story = await runSindhudurgStory(client);
    await runChanderiStory(client);
    const config = loadConsoleConfig();
    server = createConsoleServer({ ...config, public: { ...config.public, services: system.urls } });
    await new Promise<void>((resolve) => server.listen(config.port, '127.0.0.1', resolve));
    consoleUrl = `http://127.0.0.1:${config.port}`;
    browser = await launchChromium();
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await system?.stop();
  });

  /**
   * Sends the browser's request on from the test (same headers, so the same Idempotency-Key). A
   * keep-alive socket the service has already closed resets the first try on a slow machine; a
   * retry with the same key cannot record twice, which is what the test checks anyway.
   */
  const reachServer = async (route: Route) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await route.fetch();
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  };

  const checkAccessible = async (page: Page) => expect(await seriousAccessibilityViolations(page)).toEqual([]);

  /** Reloads until every figure on the page equals the API's answer read at the same moment (read models catch up through Kafka). */
  const expectFiguresFromApi = (page: Page, readSources: () => Promise<Record<string, unknown>>, minimum: number) =>
    waitFor(
      async () => {
        await page.reload();
        await page.waitForSelector('[data-figure]', { timeout: 60_000 });
        const sources = await readSources();
        const shown = await figuresOn(page);
        expect(shown.length).toBeGreaterThanOrEqual(minimum);
        expect(shown.map(({ source, path, text }) => [source, path, shownValue(text)])).toEqual(
          shown.map(({ source, path }) => [source, path, at(sources[source], path)]),
        );
      },
      120_000,
      1000,
    );

  describe('field1, who runs the Sindhudurg SHGs', () => {
    let context: BrowserContext;
    let page: Page;
    const field1 = () => client.as('field1');

    beforeAll(async () => {
      context = await browser.open();
      page = await context.newPage();
    });

    it('signs in through the Keycloak login page and sees their networks and SHGs', async () => {
      await signIn(page, consoleUrl, 'field1');
      await expect(page.locator('main h1').textContent()).resolves.toBe('My networks');
      const card = page.locator(`[data-network="${story.networkId}"]`);
      await expect(card.locator('h3').textContent()).resolves.toBe('Sindhudurg SHG Network');
      expect(await card.locator('.shg-list li').count()).toBe(16);
      await screenshot(page, 'my-networks');
      await checkAccessible(page);
    });

    it("shows the Sindhudurg dashboard with every figure equal to the API's, in English and in Hindi", async () => {
      await page.goto(`${consoleUrl}/#/networks/${story.networkId}?asOf=${asOf}`);
      const { reporting } = system.urls;
      const readSources = async () => {
        const [dashboard, loans] = await Promise.all([
          field1().get(`${reporting}/networks/${story.networkId}/dashboard?asOf=${asOf}`),
          field1().get(`${reporting}/networks/${story.networkId}/loans?asOf=${asOf}`),
        ]);
        const trendDates = (await figuresOn(page)).map((f) => f.source).filter((s) => s.startsWith('trend:'));
        const trend = await Promise.all(
          [...new Set(trendDates)].map(async (source) => [
            source,
            await field1().get(`${reporting}/networks/${story.networkId}/dashboard?asOf=${source.slice(6)}`),
          ]),
        );
        return { dashboard, loans, ...Object.fromEntries(trend) };
      };
      // Common fund 5 + member count + fees 3 + credit line 5 + loan book 9 + loans 3 x 3 + trend 12 x 2.
      await expectFiguresFromApi(page, readSources, 1 + 5 + 3 + 5 + 9 + 9 + 24);
      const dashboard = await field1().get(`${reporting}/networks/${story.networkId}/dashboard?asOf=${asOf}`);
      const unpaid = await page.$$eval('[data-unpaid]', (links) => links.map((link) => link.getAttribute('data-unpaid')));
      expect(unpaid.sort()).toEqual([...dashboard.fees[0].unpaidShgIds].sort());
      expect(await page.locator('canvas').count()).toBe(4);
      await screenshot(page, 'dashboard');
      await checkAccessible(page);

      await page.selectOption('#language', 'hi');
      await page.getByRole('heading', { name: 'साझा कोष' }).waitFor();
      await expectFiguresFromApi(page, readSources, 56);
      expect(await page.locator('[data-figure="dashboard|commonFund.balance"]').textContent()).toMatch(/^रु /);
      await screenshot(page, 'dashboard-hindi');
      await checkAccessible(page);
      await page.selectOption('#language', 'en');
    });

    it('shows an SHG statement and a loan with its schedule, as the API has them', async () => {
      const { reporting, lending } = system.urls;
      const shgId = story.shgIds[1];
      await page.goto(`${consoleUrl}/#/shgs/${shgId}?asOf=${asOf}`);
      await expectFiguresFromApi(
        page,
        async () => ({
          statement: await field1().get(`${reporting}/shgs/${shgId}/statement?asOf=${asOf}`),
          shg: await field1().get(`${system.urls.groups}/shgs/${shgId}`),
        }),
        4 + 3 + SINDHUDURG.membersPerShg,
      );
      await screenshot(page, 'shg-statement');
      await checkAccessible(page);

      const loanId = story.loans.traditionalProducts;
      await page.goto(`${consoleUrl}/#/loans/${loanId}?asOf=${asOf}`);
      await expectFiguresFromApi(page, async () => ({ loan: await field1().get(`${lending}/loans/${loanId}?asOf=${asOf}`) }), 5 + 12 * 4);
      expect(await page.locator('tbody tr').count()).toBe(12);
      expect(await page.locator('tbody tr.late').count()).toBeGreaterThan(0);
      await screenshot(page, 'loan');
      await checkAccessible(page);
    });

    it("records a meeting's collection sheet once, though the connection drops mid-submit and the sheet is sent again", async () => {
      const { groups, lending } = system.urls;
      const shgId = story.shgIds[3];
      const memberLoan = story.loans.memberLoan;
      // The member's loan is funded from the SHG's savings through Kafka: the sheet lists it once it is active.
      const loanBefore = await waitFor(async () => {
        const loan = await field1().get(`${lending}/loans/${memberLoan}`);
        expect(loan.status).toBe('active');
        return loan;
      }, 60_000);
      const before = await field1().get(`${groups}/shgs/${shgId}`);
      const mobile = await browser.open({ width: 390, height: 844 });
      const phone = await mobile.newPage();
      await signIn(phone, consoleUrl, 'field1');
      await phone.goto(`${consoleUrl}/#/shgs/${shgId}/collection`);
      await phone.waitForSelector('form.sheet');
      await phone.fill('#meeting-date', '2005-12-20');
      const deposit = 10_000;
      for (const member of before.members) await phone.fill(`[id="f-deposit:${member.id}"]`, String(deposit / 100));
      await phone.fill(`[id="f-repayment:${memberLoan}"]`, '150');
      await screenshot(phone, 'collection-sheet-filled');
      await checkAccessible(phone);

      // Every third deposit reaches the server but its answer is lost; the second never leaves.
      let sent = 0;
      const depositsUrl = `${groups}/shgs/${shgId}/savings/deposits`;
      await phone.route(depositsUrl, async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        sent += 1;
        if (sent === 2) return route.abort('connectionreset');
        if (sent % 3 === 0) {
          await reachServer(route);
          return route.abort('connectionreset');
        }
        return route.continue();
      });
      await phone.click('button[type="submit"]');
      await phone.waitForFunction(`!document.querySelector('button[type="submit"]').disabled`, undefined, { timeout: 60_000 });
      const unsure = await phone.locator('.unsure').count();
      expect(unsure).toBe(1 + Math.floor(before.members.length / 3));
      await screenshot(phone, 'collection-sheet-connection-lost');

      await phone.unroute(depositsUrl);
      await phone.click('button[type="submit"]');
      await phone.waitForFunction(`document.querySelectorAll('.recorded').length === ${before.members.length + 1}`, undefined, {
        timeout: 60_000,
      });
      expect(await phone.locator('.unsure, .refused').count()).toBe(0);
      await screenshot(phone, 'collection-sheet-recorded');
      await checkAccessible(phone);

      const after = await field1().get(`${groups}/shgs/${shgId}`);
      expect(after.members.map((m: { id: string; savings: number }) => [m.id, m.savings])).toEqual(
        before.members.map((m: { id: string; savings: number }) => [m.id, m.savings + deposit]),
      );
      const loanAfter = await field1().get(`${lending}/loans/${memberLoan}`);
      expect(loanAfter.interestPaid + loanAfter.principalPaid).toBe(loanBefore.interestPaid + loanBefore.principalPaid + 15_000);
    });

    it("refuses a repayment beyond what the loan owes with the contract's message", async () => {
      await page.goto(`${consoleUrl}/#/shgs/${story.shgIds[3]}/collection`);
      await page.waitForSelector('form.sheet');
      await page.click('button.secondary:has-text("New meeting")');
      await page.fill('#meeting-date', '2005-12-27');
      await page.fill(`[id="f-repayment:${story.loans.memberLoan}"]`, '10,00,000');
      await page.click('button[type="submit"]');
      const refusal = page.locator(`[data-entry="repayment:${story.loans.memberLoan}"] .refused`);
      await refusal.waitFor({ timeout: 30_000 });
      expect(await refusal.textContent()).toMatch(/^✗ Refused: .+/);
      await screenshot(page, 'collection-sheet-refused');
    });
  });

  it("keeps Sindhudurg out of sight of field2, Chanderi's field officer", async () => {
    const context = await browser.open();
    const page = await context.newPage();
    await signIn(page, consoleUrl, 'field2');
    const networks = await page.locator('.cards h3').allTextContents();
    expect(networks).toEqual(['Chanderi Weavers Apex']);
    await page.goto(`${consoleUrl}/#/networks/${story.networkId}?asOf=${asOf}`);
    await page.getByText('Not found, or not yours to see.').waitFor();
    await screenshot(page, 'field2-not-found');
    await checkAccessible(page);
  });

  it('lets an operator re-drive a failed bank delivery once its cause is fixed', async () => {
    const { bankLinkage } = system.urls;
    const { webhookSecret } = await client.as('admin').post(`${bankLinkage}/banks/${story.bankId}/webhook-secret/rotation`, {});
    // A drawdown beyond what is available fails: the line has Rs 30,000 free of Rs 50,000.
    const drawdown = { creditLineId: story.creditLineId, amount: 4_000_000, valueDate: '2005-12-20', bankReference: 'UTR-CONSOLE-1' };
    expect((await client.webhook(story.bankId, webhookSecret, { type: 'credit_line.drawdown.settled', data: drawdown })).status).toBe(202);
    const operator = client.as('operator1');
    const failed = await waitFor(async () => {
      const deliveries = await operator.get(`${bankLinkage}/webhooks/deliveries?status=failed`);
      const delivery = deliveries.find((d: { body: string }) => d.body.includes('UTR-CONSOLE-1'));
      expect(delivery?.error?.code).toBe('insufficient_credit');
      return delivery;
    }, 60_000);
    // The fix: the network repays the Rs 20,000 drawn, and the whole line is free again.
    await client
      .as('banker1')
      .post(`${bankLinkage}/credit-lines/${story.creditLineId}/repayments`, { amount: 2_000_000, repaidOn: '2005-12-15' });

    const context = await browser.open();
    const page = await context.newPage();
    await signIn(page, consoleUrl, 'operator1');
    await page.click('a[href="#/operations"]');
    const row = page.locator(`[data-delivery="${failed.id}"]`);
    await row.waitFor();
    expect(await page.locator('tbody').nth(1).locator('tr').count()).toBeGreaterThan(0);
    await screenshot(page, 'operations');
    await checkAccessible(page);
    await row.getByRole('button', { name: `Re-drive ${failed.webhookId}` }).click();
    await row.getByText('Queued again').waitFor();

    await waitFor(async () => {
      const line = await client.as('banker1').get(`${bankLinkage}/credit-lines/${story.creditLineId}`);
      expect(line).toMatchObject({ drawn: 4_000_000, available: 1_000_000 });
    }, 60_000);
    const processed = await operator.get(`${bankLinkage}/webhooks/deliveries?status=processed`);
    expect(processed.find((d: { id: string }) => d.id === failed.id)).toBeDefined();
  });
});
