/** `npm run republish -- <service> [--from-position N]`: re-sends a service's stored events to its topic, in order. */
import { PerPartitionSender, PostgresEventStore, republishEvents } from '@sangam/event-store';
import { Topics } from '@sangam/messaging';
import { loadServiceConfig } from '@sangam/platform';
import { connectServiceDatabase, kafkaFor, optionValue, progressBar, runCli, serviceNamed, UsageError } from './cli-support';

const TOPIC_OF = { groups: Topics.groups, lending: Topics.lending, 'bank-linkage': Topics.bankLinkage } as const;

runCli('npm run republish -- <groups|lending|bank-linkage> [--from-position N]', async (args) => {
  const service = serviceNamed(args[0]);
  if (service === 'reporting') throw new UsageError('reporting has no event store to republish');
  const from = optionValue(args, '--from-position') ?? '1';
  if (!/^\d+$/.test(from)) throw new UsageError('--from-position takes a whole number');

  const config = loadServiceConfig(service);
  const dataSource = await connectServiceDatabase(config);
  const sender = new PerPartitionSender(kafkaFor(config, 'republish'));
  try {
    const [{ total }] = await dataSource.query(`SELECT count(*)::int AS total FROM events WHERE global_position >= $1`, [from]);
    const bar = progressBar('events');
    const startedAt = Date.now();
    bar.start(total, 0, { speed: 0 });
    const result = await republishEvents(new PostgresEventStore(dataSource), sender, TOPIC_OF[service], BigInt(from), ({ published }) =>
      bar.update(published, { speed: Math.round(published / Math.max((Date.now() - startedAt) / 1000, 0.001)) }),
    );
    bar.stop();
    console.log(`republished ${result.published} ${service} events to ${TOPIC_OF[service]} (positions ${from}..${result.lastPosition})`);
  } finally {
    await sender.close();
    await dataSource.destroy();
  }
});
