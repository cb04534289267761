import type { WebhookSecretRotatedData } from '@sangam/contracts';
import type { IssuedCommand, UnitOfWork } from '@sangam/event-store';
import type { BankCommandHandler } from '../bank.command-handler';
import type { BankCommand } from '../domain/bank.decider';
import type { WebhookSecrets } from '../webhook-secrets';

/** Replaces a bank's webhook secret; the previous one keeps verifying until the rotation's grace period ends. */
export async function rotateWebhookSecret(
  deps: { banks: BankCommandHandler; secrets: WebhookSecrets },
  unit: UnitOfWork,
  command: IssuedCommand<Extract<BankCommand, { type: 'RotateWebhookSecret' }>>,
  webhookSecret: string,
): Promise<void> {
  const { bankId } = command.data;
  const { events } = await deps.banks.handle(unit, bankId, command);
  const { rotatedAt, previousValidUntil } = events[0].data as WebhookSecretRotatedData;
  await deps.secrets.replace(unit.manager, bankId, webhookSecret, rotatedAt, previousValidUntil);
}
