import { createKafka, Topics } from '@sangam/messaging';
import { httpClient, waitFor, type HttpClient } from '@sangam/testing';
import { localKafkaCluster, type LocalKafkaCluster } from '../local-kafka-cluster';
import { startSupervisedSystem, until, type SupervisedSystem } from '../supervised-system';
import { depositLoad, expectCountedOnce, moreAcknowledged } from './deposit-load';

/**
 * The services (under `npm start`'s supervisor) on a local three-broker cluster, topics at
 * replication factor 3 with min.insync.replicas 2, and the broker leading most of the groups
 * topic SIGKILLed under a counted deposit load, then started again: deposits go on being
 * acknowledged meanwhile, and every acknowledged one reaches reporting once.
 */
describe('chaos: a broker of three SIGKILLed under load', () => {
  let cluster: LocalKafkaCluster | undefined;
  let system: SupervisedSystem | undefined;

  afterAll(async () => {
    await system?.stop();
    await cluster?.remove();
  }, 60_000);

  it('loses and double-counts no acknowledged deposit', async () => {
    cluster = await localKafkaCluster();
    await cluster.kafkaSh(['start']);
    const kafka = createKafka({ clientId: 'sangam-chaos-test', brokers: cluster.brokers });
    system = await startSupervisedSystem('sangam_test_chaos_cluster', { KAFKA_BROKERS: cluster.brokers.join(',') });
    const { status, urls } = system;
    try {
      await until('the four services to be up', () => status()?.processes.every((p) => p.state === 'up'), 120_000);
      const groups: HttpClient = httpClient(urls.groups, 'field1');
      const load = await depositLoad(groups, 'broker killed', kafka);
      await waitFor(() => expect(load.acknowledged.size).toBeGreaterThanOrEqual(3), 60_000);

      const admin = kafka.admin();
      await admin.connect();
      const leaders = (await admin.fetchTopicMetadata({ topics: [Topics.groups] })).topics[0].partitions.map((p) => p.leader);
      const victim = [...new Set(leaders)].sort((a, b) => leaders.filter((l) => l === b).length - leaders.filter((l) => l === a).length)[0];
      const ackedBefore = load.acknowledged.size;
      const killedAt = Date.now();
      cluster.kill(victim);
      await moreAcknowledged(load, 20);
      const ackedWhileDown = load.acknowledged.size - ackedBefore;
      await cluster.kafkaSh(['start']);
      const restartedAt = Date.now();
      await until(
        `node ${victim} back in sync`,
        async () => (await admin.fetchTopicMetadata({ topics: [Topics.groups] })).topics[0].partitions.every((p) => p.isr.includes(victim)),
        60_000,
      );
      await admin.disconnect();
      await moreAcknowledged(load, 3);
      await load.stop();
      const recovered = await expectCountedOnce(urls, groups, load);
      console.log(
        JSON.stringify({
          chaos: [
            {
              case: 'a broker of three SIGKILLed and restarted',
              brokerKilled: victim,
              acknowledged: load.acknowledged.size,
              attempts: load.attempts,
              ackedWhileDown,
              downForSeconds: (restartedAt - killedAt) / 1000,
              lost: 0,
              duplicated: 0,
              secondsToReportingCounted: (recovered - killedAt) / 1000,
            },
          ],
        }),
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\nsupervisor said:\n${system.stderr().slice(-5000)}`, { cause: error });
    }
  }, 600_000);
});
