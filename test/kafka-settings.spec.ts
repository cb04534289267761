import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import { kafkaSecurityFromEnv, replicationFor, topicSettingsFromEnv } from '@sangam/messaging';
import { ConfigurationError, loadServiceConfig } from '@sangam/platform';

const clusterOf = (brokers: number) =>
  ({ describeCluster: async () => ({ brokers: Array.from({ length: brokers }, (_, i) => ({ nodeId: i + 1 })) }) }) as unknown as Admin;

describe('the replication of the topics the services create', () => {
  it('is one copy and no topic setting on a single broker, as it always was', async () => {
    expect(await replicationFor(clusterOf(1), {})).toEqual({ replicationFactor: 1, configEntries: [] });
  });

  it('is three copies, two of them in sync for a write, from three brokers on', async () => {
    const three = { replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] };
    expect(await replicationFor(clusterOf(3), {})).toEqual(three);
    expect(await replicationFor(clusterOf(5), {})).toEqual(three);
    expect(await replicationFor(clusterOf(2), {})).toEqual({
      replicationFactor: 2,
      configEntries: [{ name: 'min.insync.replicas', value: '1' }],
    });
  });

  it('follows KAFKA_REPLICATION_FACTOR and KAFKA_MIN_INSYNC_REPLICAS, refusing a minimum no write could meet', async () => {
    const settings = topicSettingsFromEnv({ KAFKA_REPLICATION_FACTOR: '5', KAFKA_MIN_INSYNC_REPLICAS: '3', KAFKA_DLQ_RETENTION_MS: '-1' });
    expect(settings).toEqual({ replicationFactor: 5, minInsyncReplicas: 3, deadLetterRetentionMs: -1 });
    expect(await replicationFor(clusterOf(1), settings)).toEqual({
      replicationFactor: 5,
      configEntries: [{ name: 'min.insync.replicas', value: '3' }],
    });
    await expect(replicationFor(clusterOf(3), { minInsyncReplicas: 3, replicationFactor: 2 })).rejects.toThrow(
      'min.insync.replicas 3 is more than the replication factor 2',
    );
    expect(() => topicSettingsFromEnv({ KAFKA_REPLICATION_FACTOR: '0' })).toThrow(
      "KAFKA_REPLICATION_FACTOR must be a whole number >= 1, got '0'",
    );
    expect(topicSettingsFromEnv({})).toEqual({
      replicationFactor: undefined,
      minInsyncReplicas: undefined,
      deadLetterRetentionMs: undefined,
    });
  });
});

describe('TLS and SASL to a managed cluster', () => {
  it('are off unless asked for', () => {
    expect(kafkaSecurityFromEnv({})).toEqual({});
    expect(kafkaSecurityFromEnv({ KAFKA_SSL: 'off' })).toEqual({});
  });

  it('take TLS with the system CAs or a CA file, and SASL with a username and password', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sangam-ca-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      expect(
        kafkaSecurityFromEnv({
          KAFKA_SSL: 'on',
          KAFKA_SASL_MECHANISM: 'scram-sha-512',
          KAFKA_SASL_USERNAME: 'sangam',
          KAFKA_SASL_PASSWORD: 's3cret',
        }),
      ).toEqual({
        ssl: true,
        sasl: { mechanism: 'scram-sha-512', username: 'sangam', password: 's3cret' },
      });
      expect(kafkaSecurityFromEnv({ KAFKA_SSL_CA_FILE: join(dir, 'ca.pem') }).ssl).toEqual({
        ca: [expect.stringContaining('BEGIN CERTIFICATE')],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => kafkaSecurityFromEnv({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'sangam' })).toThrow(
      'needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD',
    );
    expect(() => kafkaSecurityFromEnv({ KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow(
      'KAFKA_SASL_MECHANISM must be one of plain, scram-sha-256, scram-sha-512',
    );
  });

  it('are validated with the rest of a service’s configuration, each bad value named', () => {
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        loadServiceConfig('groups', env);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigurationError);
        return (error as Error).message
          .split('\n')
          .slice(1)
          .map((line) => line.replace(/^\s+- /, ''));
      }
    };
    expect(
      problems({
        KAFKA_SSL: 'on',
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
        KAFKA_REPLICATION_FACTOR: '3',
        KAFKA_DLQ_RETENTION_MS: '-1',
      }),
    ).toEqual([]);
    expect(
      problems({ KAFKA_SSL: 'yes', KAFKA_SASL_MECHANISM: 'kerberos', KAFKA_DLQ_RETENTION_MS: '30d', KAFKA_MIN_INSYNC_REPLICAS: '0' }),
    ).toEqual(
      expect.arrayContaining([
        'KAFKA_SSL must be on or off',
        'KAFKA_SASL_MECHANISM must be plain, scram-sha-256 or scram-sha-512',
        'KAFKA_SASL_USERNAME is needed with KAFKA_SASL_MECHANISM',
        'KAFKA_SASL_PASSWORD is needed with KAFKA_SASL_MECHANISM',
        'KAFKA_DLQ_RETENTION_MS must be a whole number of milliseconds (-1 keeps dead letters forever)',
        'KAFKA_MIN_INSYNC_REPLICAS must not be less than 1',
      ]),
    );
  });
});
