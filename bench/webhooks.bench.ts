import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Topics } from '@sangam/messaging';
import { connectTestDatabase, EventPublisher, httpClient, startService, waitFor, type HttpClient } from '@sangam/testing';
import { BANK_LINKAGE_START_OPTIONS, BankLinkageModule } from '../apps/bank-linkage/src/bank-linkage.module';
import { fundedNetwork } from '../apps/bank-linkage/test/bank-linkage.test-kit';
import { medianOfRuns, runLoadScript } from './measure';
import { profiled, type SelfTimeEntry } from './profile';

export interface WebhookLoadResult {
  connections: number;
  /** Deliveries answered 2xx per second. */
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * CPU the service spent (user + system, relay and delivery processor included) per delivery
   * answered 2xx: on a shared machine this says more than the rate does.
   */
  serviceCpuMsPerRequest: number;
  /** Answered 2xx but not in the inbox afterwards (over all three runs): must be 0. */
  lost: number;
  refused: number;
  errors: number;
  /** With BENCH_PROFILE set: the top self-time entries of the service's process under the load. */
  profile?: { file: string; top: SelfTimeEntry[] };
}

/** A line sanctioned to a network that groups' events (published here) made known to bank-linkage. */
async function sanctionedLine(api: HttpClient, bankId: string): Promise<string> {
  const networkId = randomUUID();
  const events = new EventPublisher();
  await events.publish(Topics.groups, ...fundedNetwork(networkId, 1_000_000)).finally(() => events.close());
  const terms = {
    bankId,
    borrower: { type: 'network', id: networkId },
    limit: 1_000_000,
    annualInterestRateBps: 900,
    sanctionedOn: '2005-07-01',
    expiresOn: '2075-06-30',
  };
  const { body } = await waitFor(async () => {
    const answer = await api.post('/credit-lines', terms);
    if (answer.status !== 201) throw new Error(`bench set-up: sanction answered ${JSON.stringify(answer)}`);
    return answer;
  }, 60_000);
  return body.id;
}

/**
 * Signed bank webhooks verified and stored, against bank-linkage running with its relay and
 * delivery processor: `seconds` of load at `connections`, three times; medians.
 */
export async function benchSignedWebhooks(
  connections = 16,
  seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 10),
): Promise<WebhookLoadResult> {
  const service = await startService('bank-linkage', (config) => BankLinkageModule.forRoot(config), {
    ...BANK_LINKAGE_START_OPTIONS,
    databasePrefix: `sangam_test_bench_webhooks_${randomUUID().slice(0, 8)}`,
  });
  const db = await connectTestDatabase(service.config.databaseName);
  try {
    const api = httpClient(service.url);
    const bank = await api.post('/banks', { name: 'State Bank of India', branch: 'Kudal', maxSavingsMultiple: 0 });
    if (bank.status !== 201) throw new Error(`bench set-up failed: ${JSON.stringify(bank)}`);
    const creditLineId = await sanctionedLine(api, bank.body.id);
    const load = { url: service.url, bankId: bank.body.id, secret: bank.body.webhookSecret, creditLineId, connections, seconds };
    const inInbox = async (webhookIds: string[]) =>
      Number(
        (
          await db.query(`SELECT count(*) AS n FROM webhook_deliveries WHERE bank_id = $1 AND webhook_id = ANY($2)`, [
            bank.body.id,
            webhookIds,
          ])
        ).rows[0].n,
      );
    const runs: WebhookLoadResult[] = [];
    const once = async () => {
      const cpuBefore = process.cpuUsage();
      const { accepted, ...result } = await runLoadScript<Omit<WebhookLoadResult, 'connections' | 'lost'> & { accepted: string[] }>(
        'signed-webhooks.load.ts',
        load,
      );
      const cpu = process.cpuUsage(cpuBefore);
      const serviceCpuMsPerRequest = Math.round(((cpu.user + cpu.system) / 1000 / Math.max(1, accepted.length)) * 100) / 100;
      runs.push({ connections, ...result, serviceCpuMsPerRequest, lost: accepted.length - (await inInbox(accepted)) });
    };
    let profile: WebhookLoadResult['profile'];
    for (let round = 0; round < 3; round++) {
      // BENCH_PROFILE=1: the second run is profiled (set-up excluded), in the bench's process where bank-linkage runs.
      if (round === 1 && process.env.BENCH_PROFILE) {
        const dir = join(__dirname, 'results');
        mkdirSync(dir, { recursive: true });
        const file = join(dir, 'signed-webhooks.cpuprofile');
        profile = { file, top: (await profiled(file, once)).top };
      } else await once();
    }
    // Loss is counted over all three runs, not as a median.
    return { ...medianOfRuns(runs), lost: runs.reduce((sum, run) => sum + run.lost, 0), profile };
  } finally {
    await db.end();
    await service.stop();
  }
}
