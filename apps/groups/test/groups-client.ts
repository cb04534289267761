import { httpClient, startService, type DevUser, type RunningService } from '@sangam/testing';
import { GroupsModule } from '../src/groups.module';

export const startGroups = (databasePrefix: string): Promise<RunningService> =>
  startService('groups', GroupsModule.forRoot, { databasePrefix });

/** The groups API as a field app calls it; the story helpers insist on 201 so a setup step cannot fail silently. */
export function groupsClient(url: string, as: DevUser | null = 'admin') {
  const { post, get } = httpClient(url, as);
  const created = async (path: string, body: unknown): Promise<string> => {
    const answer = await post(path, body);
    if (answer.status !== 201) throw new Error(`POST ${path} answered ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body?.id;
  };

  return {
    post,
    get,
    formShg: (name = 'Mahila Shakti', village = 'Kudal') => created('/shgs', { name, village, formedOn: '2005-04-01' }),
    enrol: (shgId: string, name = 'Savita', role = 'member') => created(`/shgs/${shgId}/members`, { name, role }),
    deposit: (shgId: string, memberId: string, amount: number, depositedOn = '2005-05-01') =>
      created(`/shgs/${shgId}/savings/deposits`, { memberId, amount, depositedOn }),
    formNetwork: (annualFee = 30_000, name = 'Sindhudurg SHG Federation') =>
      created('/networks', { name, cluster: 'Kudal', formedOn: '2005-04-01', annualFee }),
    join: async (networkId: string, shgId: string, joinedOn = '2005-04-15') => {
      const answer = await post(`/networks/${networkId}/members`, { shgId, joinedOn });
      if (answer.status !== 201) throw new Error(`join answered ${answer.status} ${JSON.stringify(answer.body)}`);
    },
    contribute: (networkId: string, shgId: string, amount: number) =>
      created(`/networks/${networkId}/fund/contributions`, { shgId, amount, contributedOn: '2005-07-01' }),
    assess: (networkId: string, year: number) => post(`/networks/${networkId}/fees/${year}/assessments`, { assessedOn: `${year}-05-01` }),
    payFee: (networkId: string, year: number, shgId: string, amount: number) =>
      created(`/networks/${networkId}/fees/${year}/payments`, { shgId, amount, paidOn: `${year}-06-01` }),
  };
}

export type GroupsClient = ReturnType<typeof groupsClient>;

/** An SHG with its members, each having saved `saving` paise. */
export async function shgWithSavers(api: GroupsClient, members: number, saving: number, name?: string) {
  const shgId = await api.formShg(name);
  const memberIds: string[] = [];
  for (let i = 0; i < members; i++)
    memberIds.push(await api.enrol(shgId, `Member ${i + 1}`, i === 0 ? 'leader' : i === 1 ? 'treasurer' : 'member'));
  for (const memberId of memberIds) await api.deposit(shgId, memberId, saving);
  return { shgId, memberIds };
}
