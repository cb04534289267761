import type { IssuedCommand, UnitOfWork } from '@sangam/event-store';
import type { BankCommandHandler } from '../bank.command-handler';
import type { BankCommand } from '../domain/bank.decider';
import type { WebhookSecrets } from '../webhook-secrets';

/** Registers a bank with its first webhook secret, stored (sealed) in the transaction of its event and never put in one. */
export async function registerBank(
  deps: { banks: BankCommandHandler; secrets: WebhookSecrets },
  unit: UnitOfWork,
  command: IssuedCommand<Extract<BankCommand, { type: 'RegisterBank' }>>,
  webhookSecret: string,
): Promise<void> {
  const { bankId, registeredAt } = command.data;
  await deps.banks.handle(unit, bankId, command);
  await deps.secrets.storeFirst(unit.manager, bankId, webhookSecret, registeredAt);
}
