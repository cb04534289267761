import type { Client } from 'pg';
import { connectTestDatabase, httpClient, startService, tokenFor, waitFor, type RunningService } from '@sangam/testing';
import { GroupsModule } from '../../../apps/groups/src/groups.module';

/**
 * While the service's database refuses it (connections cut, none allowed), requests answer
 * quickly and honestly: 503 with Retry-After, never a hang or a 500; readiness says so, liveness
 * does not; and the service serves again by itself once the database is back.
 */
describe('a service whose database goes away', () => {
  let service: RunningService;
  let admin: Client;
  let shgId: string;

  const cutOff = async (allow: boolean) => {
    const database = service.config.databaseName;
    await admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS ${allow}`);
    if (!allow) await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [database]);
  };

  beforeAll(async () => {
    service = await startService('groups', GroupsModule.forRoot, { databasePrefix: 'sangam_test_outage' });
    admin = await connectTestDatabase('postgres');
    shgId = (await httpClient(service.url).post('/shgs', { name: 'Jai Bhavani', village: 'Kudal', formedOn: '2004-01-15' })).body.id;
  });
  afterAll(async () => {
    await cutOff(true).catch(() => undefined);
    await admin?.end();
    await service?.stop();
  });

  it('answers 503 with Retry-After within seconds while the database is away, then serves again', async () => {
    await cutOff(false);
    const api = httpClient(service.url);
    const started = Date.now();
    const [read, write] = await Promise.all([
      api.get(`/shgs/${shgId}`),
      api.post('/shgs', { name: 'Mahalaxmi', village: 'Kudal', formedOn: '2004-01-15' }),
    ]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect([read.status, read.body.error, write.status, write.body.error]).toEqual([
      503,
      'service_unavailable',
      503,
      'service_unavailable',
    ]);
    const raw = await fetch(`${service.url}/shgs/${shgId}`, { headers: { authorization: `Bearer ${await tokenFor('admin')}` } });
    expect(raw.headers.get('retry-after')).toBe('2');
    expect((await fetch(`${service.url}/health/ready`)).status).toBe(503);
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);

    await cutOff(true);
    await waitFor(async () => expect((await api.get(`/shgs/${shgId}`)).status).toBe(200), 15_000);
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
  });
});
