import { connectTestDatabase, httpClient, waitFor, type HttpClient } from '@sangam/testing';
import { groupsClient } from '../apps/groups/test/groups-client';
import { consumersSettled, cpuMsByPart, cpuPerRequest, orStop, servicePid, startWholeSystem } from './deposit-system';
import { until } from '../test/supervised-system';
import { medianOfRuns, runLoadScript } from './measure';
import { serviceProfile, serviceProfilingEnv, type SelfTimeEntry } from './profile';

export interface WebhookLoadResult {
  connections: number;
  /** Deliveries answered 2xx per second. */
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * CPU each part of the system spent (user + system) per delivery answered 2xx, over the three
   * runs: bank-linkage (with its relay and delivery processor), Postgres, the broker, and the
   * services that consume the credit-line events. On a shared machine this says more than the rate does.
   */
  cpuMsPerRequest: Record<string, number>;
  /** Answered 2xx but not in the inbox afterwards (over all three runs): must be 0. */
  lost: number;
  refused: number;
  errors: number;
  /** With BENCH_PROFILE set: the top self-time entries of bank-linkage's process (its whole life). */
  profile?: { file: string; top: SelfTimeEntry[] };
}

/** A line sanctioned by a new bank to a network formed through groups' API (bank-linkage learns of it from groups' events). */
async function sanctionedLine(bankLinkage: HttpClient, networkId: string) {
  const bank = await bankLinkage.post('/banks', { name: 'State Bank of India', branch: 'Kudal', maxSavingsMultiple: 0 });
  if (bank.status !== 201) throw new Error(`bench set-up: registering the bank answered ${JSON.stringify(bank)}`);
  const terms = {
    bankId: bank.body.id,
    borrower: { type: 'network', id: networkId },
    limit: 1_000_000,
    annualInterestRateBps: 900,
    sanctionedOn: '2005-07-01',
    expiresOn: '2075-06-30',
  };
  const line = await waitFor(async () => {
    const answer = await bankLinkage.post('/credit-lines', terms);
    if (answer.status !== 201) throw new Error(`bench set-up: sanction answered ${JSON.stringify(answer)}`);
    return answer;
  }, 60_000);
  return { bankId: bank.body.id as string, secret: bank.body.webhookSecret as string, creditLineId: line.body.id as string };
}

/**
 * Signed bank webhooks verified and stored, with the whole system running as `npm start` runs it
 * (bank-linkage's relay and delivery processor turn each into a credit-line event that reporting
 * and the others consume): `seconds` of load at `connections` from another process, three times;
 * medians, loss counted in the inbox. BENCH_PROFILE=1 profiles bank-linkage.
 */
export async function benchSignedWebhooks(
  connections = 16,
  seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 10),
): Promise<WebhookLoadResult> {
  const { system, databasePrefix } = await startWholeSystem(serviceProfilingEnv());
  const db = await orStop(system, () => connectTestDatabase(`${databasePrefix}_bank_linkage`));
  try {
    const networkId = await groupsClient(system.urls.groups).formNetwork();
    const line = await sanctionedLine(httpClient(system.urls.bankLinkage), networkId);
    await consumersSettled(system);
    const load = { url: system.urls.bankLinkage, ...line, connections, seconds };
    const inInbox = async (webhookIds: string[]) =>
      Number(
        (
          await db.query(`SELECT count(*) AS n FROM webhook_deliveries WHERE bank_id = $1 AND webhook_id = ANY($2)`, [
            line.bankId,
            webhookIds,
          ])
        ).rows[0].n,
      );
    const runs: Omit<WebhookLoadResult, 'cpuMsPerRequest'>[] = [];
    const cpuBefore = cpuMsByPart(system);
    let answered = 0;
    for (let round = 0; round < 3; round++) {
      const { accepted, ...result } = await runLoadScript<
        Omit<WebhookLoadResult, 'connections' | 'lost' | 'cpuMsPerRequest'> & { accepted: string[] }
      >('signed-webhooks.load.ts', load);
      answered += accepted.length;
      runs.push({ connections, ...result, lost: accepted.length - (await inInbox(accepted)) });
    }
    // The CPU of what the deliveries set off is counted too: the processor and the consumers catch up first.
    await until(
      'the deliveries to be processed',
      async () => Number((await db.query(`SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'pending'`)).rows[0].n) === 0,
      600_000,
    );
    await consumersSettled(system);
    // Loss is counted over all three runs, not as a median.
    const result = {
      ...medianOfRuns(runs),
      lost: runs.reduce((sum, run) => sum + run.lost, 0),
      cpuMsPerRequest: cpuPerRequest(cpuBefore, cpuMsByPart(system), answered),
    };
    if (!process.env.BENCH_PROFILE) return result;
    return { ...result, profile: await serviceProfile(servicePid(system, 'bank-linkage')) };
  } finally {
    await db.end();
    await system.stop();
  }
}
