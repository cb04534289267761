import type { EntityManager } from 'typeorm';
import type {
  AnnualFeePaidData,
  FundContributedData,
  GroupsEventType,
  MemberEnrolledData,
  ShgExitedNetworkData,
  ShgJoinedNetworkData,
} from '@sangam/contracts';
import type { EventEnvelope } from '@sangam/messaging';
import { paiseField, textField } from '../../inbound-event-fields';
import { changeFunds, type FundChange } from '../lender-funds';

/** The network-side facts that raise a common fund: the same two fields on each. */
type Raised = AnnualFeePaidData | FundContributedData;

/**
 * How a groups event moves a network's common fund, the only money lending lends on its own view.
 * Groups writes a fact touching both an SHG and its network once per side (FundContributed /
 * SavingsPooled): the network side feeds the common fund. An SHG's savings are groups' to lend.
 */
export function fundChangesFromGroups(envelope: EventEnvelope): FundChange[] {
  switch (envelope.type as GroupsEventType) {
    case 'AnnualFeePaid':
    case 'FundContributed':
      return [{ type: 'network', id: textField<Raised>(envelope, 'networkId'), raised: paiseField<Raised>(envelope, 'amount') }];
    default:
      return [];
  }
}

const joined: (keyof ShgJoinedNetworkData)[] = ['networkId', 'shgId'];
const exited: (keyof ShgExitedNetworkData)[] = ['networkId', 'shgId'];
const enrolled: (keyof MemberEnrolledData)[] = ['memberId', 'shgId'];

/** A join or an exit takes effect only if it is newer, on the network's stream, than what membership shows. */
const membershipAt = (isMember: boolean) =>
  `INSERT INTO network_memberships (network_id, shg_id, is_member, as_of_version) VALUES ($1, $2, ${isMember}, $3)
   ON CONFLICT (network_id, shg_id) DO UPDATE SET is_member = excluded.is_member, as_of_version = excluded.as_of_version
   WHERE network_memberships.as_of_version < excluded.as_of_version`;

/** Membership as the network side records it (the SHG side's NetworkMembershipRecorded says the same). */
const MEMBERSHIP_CHANGES: Partial<Record<GroupsEventType, { sql: string; fields: string[]; versioned?: true }>> = {
  ShgJoinedNetwork: { sql: membershipAt(true), fields: joined, versioned: true },
  ShgExitedNetwork: { sql: membershipAt(false), fields: exited, versioned: true },
  MemberEnrolled: { sql: `INSERT INTO shg_members (member_id, shg_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, fields: enrolled },
};

/** Whether an event changes lending's views (membership, members, a common fund): most of groups' events do not. */
export const changesGroupsView = (envelope: EventEnvelope): boolean =>
  MEMBERSHIP_CHANGES[envelope.type as GroupsEventType] !== undefined || fundChangesFromGroups(envelope).length > 0;

/**
 * Applies a batch of groups events to lending's views. Membership changes are ordered by the
 * network stream's version, so even a late (re-driven) event cannot undo a newer one; fund changes
 * are sums, so they are merged into one statement.
 */
export async function applyGroupsEvents(manager: EntityManager, envelopes: readonly EventEnvelope[]): Promise<void> {
  for (const envelope of envelopes) {
    const change = MEMBERSHIP_CHANGES[envelope.type as GroupsEventType];
    if (!change) continue;
    const values: (string | number)[] = change.fields.map((name) => textField<Record<string, string>>(envelope, name));
    await manager.query(change.sql, change.versioned ? [...values, envelope.streamVersion] : values);
  }
  await changeFunds(manager, envelopes.flatMap(fundChangesFromGroups));
}
