import { randomUUID } from 'node:crypto';
import type {
  AnnualFeeAssessedData,
  AnnualFeePaidData,
  FundContributedData,
  GroupsEvent,
  MemberEnrolledData,
  NetworkExitRecordedData,
  NetworkFormedData,
  NetworkMembershipRecordedData,
  SavingsDepositedData,
  SavingsPooledData,
  SavingsWithdrawnData,
  ShgExitedNetworkData,
  ShgFormedData,
  ShgJoinedNetworkData,
  ShgSavingsLentData,
} from '@sangam/contracts';
import { Topics } from '@sangam/messaging';
import { devUserId, type EventPublisher } from '@sangam/testing';

/**
 * Publishes groups' events as the groups service does (both sides of two-sided facts), so lending's
 * views can be set up without it. Every network and SHG it forms is granted to `field1`, the field
 * officer who records the tests' loan applications.
 */
export class GroupsFacts {
  private readonly versions = new Map<string, number>();

  constructor(private readonly publisher: EventPublisher) {}

  /** Each stream's events get consecutive versions, as the groups event store gives them. */
  private async publish(...events: (GroupsEvent & { streamId: string })[]) {
    const versioned = events.map((event) => {
      const streamVersion = (this.versions.get(event.streamId) ?? 0) + 1;
      this.versions.set(event.streamId, streamVersion);
      return { ...event, streamVersion };
    });
    await this.publisher.publish(Topics.groups, ...versioned);
  }

  private grantToFieldOfficer(objectType: 'network' | 'shg', objectId: string): GroupsEvent & { streamId: string } {
    return { streamId: objectId, type: 'AccessGranted', data: { objectType, objectId, userId: devUserId('field1') } };
  }

  async network(annualFee = 30000): Promise<string> {
    const networkId = randomUUID();
    const data: NetworkFormedData = { networkId, name: 'Sindhudurg SHG network', cluster: 'Kudal', formedOn: '2005-04-01', annualFee };
    await this.publish({ streamId: networkId, type: 'NetworkFormed', data }, this.grantToFieldOfficer('network', networkId));
    return networkId;
  }

  async shg(name = 'Jai Bhavani SHG'): Promise<string> {
    const shgId = randomUUID();
    const data: ShgFormedData = { shgId, name, village: 'Pinguli', formedOn: '2004-06-01' };
    await this.publish({ streamId: shgId, type: 'ShgFormed', data }, this.grantToFieldOfficer('shg', shgId));
    return shgId;
  }

  async member(shgId: string, name = 'Sunita Parab'): Promise<string> {
    const memberId = randomUUID();
    const data: MemberEnrolledData = { shgId, memberId, name, role: 'member' };
    await this.publish({ streamId: shgId, type: 'MemberEnrolled', data });
    return memberId;
  }

  async deposit(shgId: string, memberId: string, amount: number) {
    const data: SavingsDepositedData = { shgId, memberId, depositId: randomUUID(), amount, depositedOn: '2005-05-01' };
    await this.publish({ streamId: shgId, type: 'SavingsDeposited', data });
  }

  async withdraw(shgId: string, memberId: string, amount: number) {
    const data: SavingsWithdrawnData = { shgId, memberId, withdrawalId: randomUUID(), amount, withdrawnOn: '2005-05-02' };
    await this.publish({ streamId: shgId, type: 'SavingsWithdrawn', data });
  }

  async join(networkId: string, shgId: string) {
    const network: ShgJoinedNetworkData = { networkId, shgId, joinedOn: '2005-04-15' };
    const shg: NetworkMembershipRecordedData = { shgId, networkId, joinedOn: '2005-04-15' };
    await this.publish(
      { streamId: networkId, type: 'ShgJoinedNetwork', data: network },
      { streamId: shgId, type: 'NetworkMembershipRecorded', data: shg },
    );
  }

  async exit(networkId: string, shgId: string) {
    const network: ShgExitedNetworkData = { networkId, shgId, exitedOn: '2005-09-30' };
    const shg: NetworkExitRecordedData = { shgId, networkId, exitedOn: '2005-09-30' };
    await this.publish(
      { streamId: networkId, type: 'ShgExitedNetwork', data: network },
      { streamId: shgId, type: 'NetworkExitRecorded', data: shg },
    );
  }

  async payFee(networkId: string, shgId: string, amount = 30000) {
    const assessed: AnnualFeeAssessedData = { networkId, shgId, year: 2005, amount, assessedOn: '2005-04-20' };
    const paid: AnnualFeePaidData = { networkId, shgId, paymentId: randomUUID(), year: 2005, amount, paidOn: '2005-04-25' };
    await this.publish(
      { streamId: networkId, type: 'AnnualFeeAssessed', data: assessed },
      { streamId: networkId, type: 'AnnualFeePaid', data: paid },
    );
  }

  /** Groups' answer to a disbursement request for a loan from the SHG's savings: lent. */
  async lendSavings(shgId: string, loanId: string, memberId: string, amount: number, lentOn: string) {
    const data: ShgSavingsLentData = { shgId, loanId, memberId, amount, lentOn };
    await this.publish({ streamId: shgId, type: 'ShgSavingsLent', data });
  }

  async contribute(networkId: string, shgId: string, amount: number) {
    const contributionId = randomUUID();
    const network: FundContributedData = { networkId, shgId, contributionId, amount, contributedOn: '2005-05-10' };
    const shg: SavingsPooledData = { shgId, networkId, contributionId, amount, pooledOn: '2005-05-10' };
    await this.publish(
      { streamId: networkId, type: 'FundContributed', data: network },
      { streamId: shgId, type: 'SavingsPooled', data: shg },
    );
  }
}
