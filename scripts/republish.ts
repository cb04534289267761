/** `npm run republish -- <service> [--from-position N]`: re-sends a service's stored events to its topic, in order. */
import { BANK_LINKAGE_STORAGE } from '../apps/bank-linkage/src/bank-linkage.module';
import { GROUPS_STORAGE } from '../apps/groups/src/groups.module';
import { LENDING_STORAGE } from '../apps/lending/src/lending.module';
import { UpcasterChain } from '@sangam/domain';
import { LeaderLaneSender, PostgresEventStore, republishEvents } from '@sangam/event-store';
import { eventPublication, loadServiceConfig } from '@sangam/platform';
import { connectServiceDatabase, kafkaFor, optionValue, progressBar, runCli, serviceNamed, UsageError } from './cli-support';

const STORAGE_OF = { groups: GROUPS_STORAGE, lending: LENDING_STORAGE, 'bank-linkage': BANK_LINKAGE_STORAGE } as const;

runCli('npm run republish -- <groups|lending|bank-linkage> [--from-position N]', async (args) => {
  const service = serviceNamed(args[0]);
  if (service === 'reporting') throw new UsageError('reporting has no event store to republish');
  const from = optionValue(args, '--from-position') ?? '1';
  if (!/^\d+$/.test(from)) throw new UsageError('--from-position takes a whole number');

  const config = loadServiceConfig(service);
  const dataSource = await connectServiceDatabase(config);
  const sender = new LeaderLaneSender(kafkaFor(config, 'republish'));
  try {
    const [{ total }] = await dataSource.query(`SELECT count(*)::int AS total FROM events WHERE global_position >= $1`, [from]);
    const bar = progressBar('events');
    const startedAt = Date.now();
    bar.start(total, 0, { speed: 0 });
    const storage = STORAGE_OF[service];
    const store = new PostgresEventStore(dataSource, [], new UpcasterChain(storage.upcasters ?? []));
    const publication = eventPublication(storage, store);
    const result = await republishEvents(store, sender, publication, BigInt(from), ({ published }) =>
      bar.update(published, { speed: Math.round(published / Math.max((Date.now() - startedAt) / 1000, 0.001)) }),
    );
    bar.stop();
    console.log(`republished ${result.published} ${service} events to ${publication.topic} (positions ${from}..${result.lastPosition})`);
  } finally {
    await sender.close();
    await dataSource.destroy();
  }
});
