import { devUserId } from '../../libs/testing/src/dev-tokens';
import { eventually, type SangamClient } from './sangam-client';

/**
 * The Sindhudurg network, played by its real cast: `admin` forms the network, registers the bank
 * and grants the others; `field1` runs the SHGs, records fees, applications and repayments;
 * `approver1` approves and disburses; `banker1` sanctions the cash credit. 16 SHGs of 12 women, a Rs 300 annual fee, pooled savings, a Rs 50,000
 * cash credit from the bank that is drawn, repaid (reported by signed bank webhooks) and drawn
 * again, goat-farming and traditional-products loans, and an SHG lending to a member.
 * All amounts are paise.
 */
export const SINDHUDURG = {
  annualFee: 30_000,
  shgNames: [
    'Jai Bhavani',
    'Mahalaxmi',
    'Savitribai',
    'Ekvira',
    'Jijau',
    'Renuka',
    'Durga',
    'Saraswati',
    'Gajanan',
    'Kalika',
    'Bhagyalaxmi',
    'Hirkani',
    'Sai',
    'Lakshmi',
    'Ambabai',
    'Navdurga',
  ].map((name) => `${name} SHG`),
  membersPerShg: 12,
  depositPerMember: 50_000,
  partialFee: 15_000,
  pooledPerShg: 250_000,
  creditLimit: 5_000_000,
  interestCharged: 50_000,
  goatLoan: 5_000_000,
  secondGoatLoan: 2_000_000,
  traditionalProductsLoan: 1_000_000,
  memberLoan: 200_000,
  /** Installment of a 12-month loan at 12% flat: principal/12 + 1% of principal. */
  installment: (principal: number) => Math.floor(principal / 12) + principal / 100,
  asOf: '2005-12-31',
} as const;

export interface SindhudurgIds {
  networkId: string;
  shgIds: string[];
  bankId: string;
  creditLineId: string;
  loans: { goats: string; traditionalProducts: string; secondGoats: string; memberLoan: string };
  webhooks: { duplicate: number; forged: number };
}

type Log = (line: string) => void;

export async function runSindhudurgStory(client: SangamClient, log: Log = () => undefined): Promise<SindhudurgIds> {
  const { groups, lending, bankLinkage } = client.urls;
  const s = SINDHUDURG;
  const admin = client.as('admin');
  const field = client.as('field1');
  const approver = client.as('approver1');
  const banker = client.as('banker1');

  log('Forming the Sindhudurg network and its 16 SHGs');
  const { id: networkId } = await admin.post(`${groups}/networks`, {
    name: 'Sindhudurg SHG Network',
    cluster: 'Kudal',
    formedOn: '2005-04-01',
    annualFee: s.annualFee,
  });
  for (const user of ['field1', 'approver1'] as const)
    await admin.post(`${groups}/networks/${networkId}/grants`, { userId: devUserId(user) });
  const shgIds = await Promise.all(
    s.shgNames.map(async (name, index) => {
      const { id: shgId } = await field.post(`${groups}/shgs`, {
        name,
        village: `Sindhudurg village ${index + 1}`,
        formedOn: '2004-01-15',
      });
      for (let m = 0; m < s.membersPerShg; m++) {
        const role = m === 0 ? 'leader' : m === 1 ? 'treasurer' : 'member';
        const { id: memberId } = await field.post(`${groups}/shgs/${shgId}/members`, { name: `${name} member ${m + 1}`, role });
        await field.post(`${groups}/shgs/${shgId}/savings/deposits`, { memberId, amount: s.depositPerMember, depositedOn: '2005-04-10' });
      }
      await field.post(`${groups}/networks/${networkId}/members`, { shgId, joinedOn: '2005-04-15' });
      return shgId as string;
    }),
  );

  log('Assessing the 2005 fee: 14 SHGs pay in full, one pays half, one does not pay');
  await field.post(`${groups}/networks/${networkId}/fees/2005/assessments`, { assessedOn: '2005-04-30' });
  for (const [index, shgId] of shgIds.entries()) {
    const amount = index < 14 ? s.annualFee : index === 14 ? s.partialFee : 0;
    if (amount > 0) await field.post(`${groups}/networks/${networkId}/fees/2005/payments`, { shgId, amount, paidOn: '2005-05-15' });
    await field.post(`${groups}/networks/${networkId}/fund/contributions`, { shgId, amount: s.pooledPerShg, contributedOn: '2005-05-20' });
  }

  log('The bank sanctions a Rs 50,000 cash credit against the common fund');
  const bank = await admin.post(`${bankLinkage}/banks`, { name: 'Bank of Maharashtra', branch: 'Kudal', maxSavingsMultiple: 2 });
  await admin.post(`${bankLinkage}/banks/${bank.id}/grants`, { userId: devUserId('banker1') });
  const { id: creditLineId } = await banker.postOnceKnown(
    `${bankLinkage}/credit-lines`,
    {
      bankId: bank.id,
      borrower: { type: 'network', id: networkId },
      limit: s.creditLimit,
      annualInterestRateBps: 1200,
      sanctionedOn: '2005-06-01',
      expiresOn: '2006-05-31',
    },
    ['limit_exceeds_drawing_power', 'not_found'],
  );

  const networkLoan = (borrower: string, principal: number, purpose: string, funding: object) => ({
    lender: { type: 'network', id: networkId },
    borrower: { type: 'shg', id: borrower },
    principal,
    annualInterestRateBps: 1200,
    termMonths: 12,
    interestMethod: 'flat',
    purpose,
    funding,
  });
  const disburse = async (loan: object, approvedOn: string, disbursedOn: string): Promise<string> => {
    // Lending learns of members and grants from groups' events: not_found and borrower_not_in_network last until it has.
    const { id } = await field.postOnceKnown(`${lending}/loans`, loan, ['borrower_not_in_network', 'not_found']);
    await approver.postOnceKnown(`${lending}/loans/${id}/approval`, { approvedOn }, ['not_found']);
    await approver.postOnceKnown(`${lending}/loans/${id}/disbursement`, { disbursedOn }, ['insufficient_funds'], 202);
    await eventually(async () => {
      const { status } = await field.get(`${lending}/loans/${id}`);
      if (status !== 'active') throw new Error(`loan ${id} is ${status}`);
    }, `loan ${id} to become active`);
    return id;
  };
  const repay = (loanId: string, amount: number, paidOn: string) => field.post(`${lending}/loans/${loanId}/repayments`, { amount, paidOn });

  log('Goat farming: Jai Bhavani SHG borrows the whole cash credit');
  const goats = await disburse(
    networkLoan(shgIds[0], s.goatLoan, 'goat farming', { source: 'credit-line', creditLineId }),
    '2005-06-05',
    '2005-06-10',
  );
  for (const month of ['07', '08', '09', '10', '11', '12']) await repay(goats, s.installment(s.goatLoan), `2005-${month}-10`);

  log('Traditional products: Mahalaxmi SHG borrows from the common fund, and pays two installments');
  const traditionalProducts = await disburse(
    networkLoan(shgIds[1], s.traditionalProductsLoan, 'traditional products', { source: 'common-fund' }),
    '2005-06-25',
    '2005-07-01',
  );
  for (const month of ['08', '09']) await repay(traditionalProducts, s.installment(s.traditionalProductsLoan), `2005-${month}-01`);

  log('The bank reports interest and the network repays the cash credit (signed webhooks)');
  const interest = {
    type: 'credit_line.interest.charged',
    data: { creditLineId, amount: s.interestCharged, valueDate: '2005-09-30', bankReference: 'INT-2005-09' },
  };
  const expectAccepted = async (payload: object, webhookId?: string) => {
    const answer = await client.webhook(bank.id, bank.webhookSecret, payload, webhookId);
    if (answer.status !== 202) throw new Error(`webhook answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  };
  await expectAccepted(interest, 'msg_interest_2005_09');
  const duplicate = await client.webhook(bank.id, bank.webhookSecret, interest, 'msg_interest_2005_09');
  const forged = await client.webhook(bank.id, `whsec_${Buffer.alloc(32, 7).toString('base64')}`, interest);
  const repayment = { creditLineId, amount: s.creditLimit + s.interestCharged, valueDate: '2005-10-15', bankReference: 'UTR0002' };
  await expectAccepted({ type: 'credit_line.repayment.received', data: repayment });
  await eventually(async () => {
    const line = await banker.get(`${bankLinkage}/credit-lines/${creditLineId}`);
    if (line.available !== s.creditLimit) throw new Error(`available ${line.available}`);
  }, 'the cash credit to be available again');

  log('Goat farming again: Savitribai SHG draws on the revolved cash credit');
  const secondGoats = await disburse(
    networkLoan(shgIds[2], s.secondGoatLoan, 'goat farming', { source: 'credit-line', creditLineId }),
    '2005-10-25',
    '2005-11-01',
  );
  await repay(secondGoats, s.installment(s.secondGoatLoan), '2005-12-01');

  log('Ekvira SHG lends to one of its members from its savings');
  const ekvira = await field.get(`${groups}/shgs/${shgIds[3]}`);
  const memberLoan = await (async () => {
    const { id } = await field.postOnceKnown(
      `${lending}/loans`,
      {
        lender: { type: 'shg', id: shgIds[3] },
        borrower: { type: 'member', id: ekvira.members[2].id },
        principal: s.memberLoan,
        annualInterestRateBps: 2400,
        termMonths: 10,
        interestMethod: 'declining',
        purpose: 'sewing machine',
        funding: { source: 'shg-savings' },
      },
      ['borrower_not_in_shg', 'not_found'],
    );
    await approver.postOnceKnown(`${lending}/loans/${id}/approval`, { approvedOn: '2005-07-28' }, ['not_found']);
    await approver.postOnceKnown(`${lending}/loans/${id}/disbursement`, { disbursedOn: '2005-08-01' }, ['insufficient_funds'], 202);
    return id as string;
  })();

  return {
    networkId,
    shgIds,
    bankId: bank.id,
    creditLineId,
    loans: { goats, traditionalProducts, secondGoats, memberLoan },
    webhooks: { duplicate: duplicate.status, forged: forged.status },
  };
}
