import { randomUUID } from 'node:crypto';
import type { LendingEvent, ScheduledInstallment } from '@sangam/contracts';
import { OutboxRelay, LeaderLaneSender, PostgresEventStore } from '@sangam/event-store';
import { Topics } from '@sangam/messaging';
import { loadServiceConfig } from '@sangam/platform';
import { createScratchTopic, deleteScratchTopic, dropDatabase, openScratchDatabase, testKafka } from '@sangam/testing';
import { loanBookProjection } from '../apps/reporting/src/loan-book/loan-book.projection';
import { ensureGenerations } from '../apps/reporting/src/projections/generations';
import { rebuild } from '../apps/reporting/src/replay/rebuild';
import { openReplayContext } from '../apps/reporting/src/replay/replay-context';

export interface ProjectionRebuildResult {
  projection: string;
  events: number;
  loans: number;
  eventsPerLoan: number;
  /** Appending through the event store and relaying to Kafka (not the figure of interest). */
  generateSeconds: number;
  rebuildSeconds: number;
  rebuildEventsPerSecond: number;
}

const TERM_MONTHS = 12;
const EVENTS_PER_LOAN = TERM_MONTHS + 4;

const dueOn = (month: number) => `${2005 + Math.floor((month - 1) / 12)}-${String(((month - 1) % 12) + 1).padStart(2, '0')}-15`;

/** A network's loan from its common fund, disbursed, repaid installment by installment and closed: lending's events. */
function loanStream(networkId: string, shgId: string) {
  const loanId = randomUUID();
  const lender = { type: 'network' as const, id: networkId };
  const borrower = { type: 'shg' as const, id: shgId };
  const funding = { source: 'common-fund' as const, creditLineId: null };
  const terms = {
    loanId,
    lender,
    borrower,
    networkId,
    principal: 1_200_000,
    annualInterestRateBps: 1200,
    termMonths: TERM_MONTHS,
    interestMethod: 'flat' as const,
  };
  const schedule: ScheduledInstallment[] = Array.from({ length: TERM_MONTHS }, (_, i) => ({
    number: i + 1,
    dueOn: dueOn(i + 1),
    principal: 100_000,
    interest: 12_000,
  }));
  const events: LendingEvent[] = [
    { type: 'LoanApplied', data: { ...terms, purpose: 'dairy cattle', funding, appliedAt: new Date().toISOString() } },
    { type: 'LoanApproved', data: { loanId, approvedOn: '2004-12-10' } },
    { type: 'LoanDisbursed', data: { ...terms, disbursedOn: '2004-12-15', funding: { ...funding, drawdownId: null }, schedule } },
    ...schedule.map(({ number, dueOn: paidOn, principal, interest }): LendingEvent => ({
      type: 'RepaymentReceived',
      data: {
        loanId,
        repaymentId: randomUUID(),
        lender,
        borrower,
        networkId,
        fundingSource: 'common-fund',
        amount: principal + interest,
        paidOn,
        allocation: { interest, principal },
        installments: [{ number, interest, principal }],
        outstandingPrincipal: 1_200_000 - number * principal,
      },
    })),
    { type: 'LoanClosed', data: { loanId, closedOn: dueOn(TERM_MONTHS) } },
  ];
  return { streamId: loanId, streamType: 'loan', expectedVersion: 0, events };
}

/** Appends loans a few streams per transaction (as one command touching several streams would) while the relay publishes. */
async function generate(store: PostgresEventStore, relay: OutboxRelay, loans: number, loansPerAppend = 8, concurrency = 6): Promise<void> {
  const networkIds = Array.from({ length: 20 }, () => randomUUID());
  const metadata = { correlationId: randomUUID(), causationId: null, actor: { service: 'bench' } };
  let remaining = loans;
  let appending = true;
  const relaying = (async () => {
    for (;;) {
      const sent = await relay.publishBatch();
      if (sent === 0 && !appending) return;
    }
  })();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (remaining > 0) {
        const count = Math.min(loansPerAppend, remaining);
        remaining -= count;
        const appends = Array.from({ length: count }, (_, i) => loanStream(networkIds[(remaining + i) % networkIds.length], randomUUID()));
        await store.appendToStreams(appends, metadata);
      }
    }),
  ).finally(() => (appending = false));
  await relaying;
}

/**
 * Rebuilds the loan-book projection from `events` lending events (loans of 16 events each) that
 * went through the real event store, outbox relay and a Kafka topic of their own.
 */
export async function benchProjectionRebuild(events = 1_000_000): Promise<ProjectionRebuildResult> {
  const loans = Math.ceil(events / EVENTS_PER_LOAN);
  const kafka = testKafka();
  const store = await openScratchDatabase('rebuild_store', 12);
  const topic = await createScratchTopic(kafka, 'rebuild');
  const sender = new LeaderLaneSender(kafka);
  const reportingDatabase = `sangam_test_bench_reporting_${randomUUID().slice(0, 8)}`;
  try {
    const startedAt = process.hrtime.bigint();
    await generate(new PostgresEventStore(store.dataSource), new OutboxRelay(store.dataSource, sender, { topic, batchSize: 5000 }), loans);
    const generateSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;

    const replay = await openReplayContext(
      { ...loadServiceConfig('reporting'), databaseName: reportingDatabase },
      { ...Topics, lending: topic },
    );
    try {
      await ensureGenerations(replay.context.dataSource, [loanBookProjection]);
      const [summary] = await rebuild(replay.context, [loanBookProjection], { pollMs: 100 });
      return {
        projection: summary.projection,
        events: summary.events,
        loans,
        eventsPerLoan: EVENTS_PER_LOAN,
        generateSeconds: Math.round(generateSeconds),
        rebuildSeconds: Number(summary.seconds.toFixed(1)),
        rebuildEventsPerSecond: summary.eventsPerSecond,
      };
    } finally {
      await replay.close();
    }
  } finally {
    await sender.close();
    await store.close();
    await deleteScratchTopic(kafka, topic);
    await dropDatabase(reportingDatabase);
  }
}

if (require.main === module) {
  benchProjectionRebuild(Number(process.argv[2] ?? 1_000_000)).then(
    (result) => {
      console.log(JSON.stringify(result, null, 2));
      process.exit(0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
