import { GroupsModule } from '../apps/groups/src/groups.module';
import { AccessView, loadServiceConfig, type Caller } from '@sangam/platform';
import { TokenVerifier } from '../libs/platform/src/access/token-verifier';
import { devUserId, httpClient, startService, tokenFor } from '@sangam/testing';
import { median } from './measure';

export interface AccessCostResult {
  /** A scoped read (GET /shgs/:id as the field officer who formed it), end to end over HTTP. */
  readP50Ms: number;
  /** What the guard spends on it: verifying the token (keys cached) and asking the view for the scope. */
  tokenCheckP50Ms: number;
  scopeCheckP50Ms: number;
  /** (token + scope) / the whole read. */
  shareOfRead: number;
}

async function timed(times: number, work: () => Promise<unknown>): Promise<number> {
  const durations: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = process.hrtime.bigint();
    await work();
    durations.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(durations);
}

/** What token and scope checks cost a request, measured beside the request itself in the same run. */
export async function benchAccessCost(reads = 500): Promise<AccessCostResult> {
  const service = await startService('groups', GroupsModule.forRoot, { databasePrefix: `sangam_test_bench_access` });
  try {
    const api = httpClient(service.url, 'field1');
    const { body } = await api.post('/shgs', { name: 'Jai Bhavani', village: 'Kudal', formedOn: '2004-01-15' });
    const token = await tokenFor('field1');
    const verifier = new TokenVerifier(loadServiceConfig('groups').oidc);
    const caller: Caller = { userId: devUserId('field1'), username: 'field1', roles: ['field-officer'] };
    const view = service.app.get(AccessView);
    await api.get(`/shgs/${body.id}`);
    const readP50Ms = await timed(reads, () => api.get(`/shgs/${body.id}`));
    const tokenCheckP50Ms = await timed(reads, () => verifier.verify(`Bearer ${token}`));
    const scopeCheckP50Ms = await timed(reads, () => view.inScope(caller, { kind: 'shg', id: body.id, from: 'path' }));
    const round = (ms: number) => Math.round(ms * 1000) / 1000;
    return {
      readP50Ms: round(readP50Ms),
      tokenCheckP50Ms: round(tokenCheckP50Ms),
      scopeCheckP50Ms: round(scopeCheckP50Ms),
      shareOfRead: Math.round(((tokenCheckP50Ms + scopeCheckP50Ms) / readP50Ms) * 100) / 100,
    };
  } finally {
    await service.stop();
  }
}
