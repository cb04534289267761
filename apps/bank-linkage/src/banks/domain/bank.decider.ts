import { assertNever, decideGrant, DomainError, evolveGrantees, NotFoundError, type Decider, type GrantCommand } from '@sangam/domain';
import type { BankEvent } from './bank.events';

/** How long a replaced webhook secret keeps verifying, so a bank can switch over without losing deliveries. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 60 * 60 * 1000;

export type BankCommand =
  | { type: 'RegisterBank'; data: { bankId: string; name: string; branch: string; maxSavingsMultiple: number; registeredAt: string } }
  | { type: 'RotateWebhookSecret'; data: { bankId: string; rotatedAt: string } }
  | GrantCommand<{ bankId: string }>;

export type BankState =
  | { status: 'unregistered' }
  | { status: 'registered'; bankId: string; name: string; branch: string; maxSavingsMultiple: number; grantees: string[] };

export type RegisteredBank = Extract<BankState, { status: 'registered' }>;

export function requireBank(state: BankState, bankId: string): RegisteredBank {
  if (state.status !== 'registered') throw new NotFoundError('Bank', bankId);
  return state;
}

const decide = (command: BankCommand, state: BankState): BankEvent[] => {
  switch (command.type) {
    case 'RegisterBank': {
      if (state.status !== 'unregistered')
        throw new DomainError('conflict', `Bank ${command.data.bankId} is already registered`, 'conflict');
      const { bankId, name, branch, maxSavingsMultiple, registeredAt } = command.data;
      return [{ type: 'BankRegistered', data: { bankId, name, branch, maxSavingsMultiple, registeredAt } }];
    }
    case 'RotateWebhookSecret': {
      requireBank(state, command.data.bankId);
      const previousValidUntil = new Date(Date.parse(command.data.rotatedAt) + PREVIOUS_SECRET_GRACE_MS).toISOString();
      return [
        { type: 'WebhookSecretRotated', data: { bankId: command.data.bankId, rotatedAt: command.data.rotatedAt, previousValidUntil } },
      ];
    }
    case 'GrantAccess':
    case 'RevokeAccess': {
      const bank = requireBank(state, command.data.bankId);
      return decideGrant({ type: 'bank', id: bank.bankId }, bank.grantees, command);
    }
    default:
      return assertNever(command);
  }
};

const evolve = (state: BankState, event: BankEvent): BankState => {
  if (event.type === 'BankRegistered') {
    const { bankId, name, branch, maxSavingsMultiple } = event.data;
    return { status: 'registered', bankId, name, branch, maxSavingsMultiple, grantees: [] };
  }
  // A stream that does not start with BankRegistered is not a bank's (a credit line's id in /banks/:id): it stays unregistered.
  if (state.status !== 'registered') return state;
  switch (event.type) {
    case 'WebhookSecretRotated':
      return state;
    case 'AccessGranted':
    case 'AccessRevoked':
      return { ...state, grantees: evolveGrantees(state.grantees, event) };
    default:
      return assertNever(event);
  }
};

export const bankDecider: Decider<BankState, BankCommand, BankEvent> = {
  initialState: () => ({ status: 'unregistered' }),
  evolve,
  decide,
};
