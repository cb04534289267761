import { devUserId } from '../../libs/testing/src/dev-tokens';
import type { SangamClient } from './sangam-client';

/** The Chanderi apex: 7 weavers' SHGs pool savings and lend for yarn from their common fund. */
export async function runChanderiStory(
  client: SangamClient,
  log: (line: string) => void = () => undefined,
): Promise<{ networkId: string }> {
  const { groups, lending } = client.urls;
  const admin = client.as('admin');
  const field = client.as('field2');
  const approver = client.as('approver2');
  log("Forming the Chanderi weavers' apex of 7 SHGs");
  const { id: networkId } = await admin.post(`${groups}/networks`, {
    name: 'Chanderi Weavers Apex',
    cluster: 'Chanderi',
    formedOn: '2006-01-10',
    annualFee: 20_000,
  });
  for (const user of ['field2', 'approver2'] as const)
    await admin.post(`${groups}/networks/${networkId}/grants`, { userId: devUserId(user) });
  const shgIds: string[] = [];
  for (const name of ['Bunkar', 'Tana Bana', 'Zari', 'Butidar', 'Resham', 'Kargha', 'Chanderi Sitara']) {
    const { id: shgId } = await field.post(`${groups}/shgs`, { name: `${name} Weavers SHG`, village: 'Chanderi', formedOn: '2005-08-01' });
    for (let m = 0; m < 10; m++) {
      const { id: memberId } = await field.post(`${groups}/shgs/${shgId}/members`, {
        name: `${name} weaver ${m + 1}`,
        role: m === 0 ? 'leader' : m === 1 ? 'treasurer' : 'member',
      });
      await field.post(`${groups}/shgs/${shgId}/savings/deposits`, { memberId, amount: 30_000, depositedOn: '2006-01-15' });
    }
    await field.post(`${groups}/networks/${networkId}/members`, { shgId, joinedOn: '2006-01-20' });
    shgIds.push(shgId);
  }
  await field.post(`${groups}/networks/${networkId}/fees/2006/assessments`, { assessedOn: '2006-01-31' });
  for (const shgId of shgIds) {
    await field.post(`${groups}/networks/${networkId}/fees/2006/payments`, { shgId, amount: 20_000, paidOn: '2006-02-05' });
    await field.post(`${groups}/networks/${networkId}/fund/contributions`, { shgId, amount: 100_000, contributedOn: '2006-02-05' });
  }
  log('A yarn loan from the Chanderi common fund');
  const { id: loanId } = await field.postOnceKnown(
    `${lending}/loans`,
    {
      lender: { type: 'network', id: networkId },
      borrower: { type: 'shg', id: shgIds[0] },
      principal: 500_000,
      annualInterestRateBps: 1000,
      termMonths: 6,
      interestMethod: 'declining',
      purpose: 'silk yarn',
      funding: { source: 'common-fund' },
    },
    ['borrower_not_in_network', 'not_found'],
  );
  await approver.postOnceKnown(`${lending}/loans/${loanId}/approval`, { approvedOn: '2006-02-10' }, ['not_found']);
  await approver.postOnceKnown(`${lending}/loans/${loanId}/disbursement`, { disbursedOn: '2006-02-15' }, ['insufficient_funds'], 202);
  return { networkId };
}
