import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BankWebhookAcceptedData } from '@sangam/contracts';
import { isUuid, NotFoundError } from '@sangam/domain';
import { GroupCommit, PostgresEventStore, UnitOfWork } from '@sangam/event-store';
import { businessDatesToday } from '@sangam/platform';
import { WebhookSecrets } from '../../banks/webhook-secrets';
import { parseBankNotification } from '../domain/bank-notification';
import { WebhookErrors } from '../domain/webhook.errors';
import { authenticateWebhook, type SignedDelivery } from '../domain/webhook-signature';
import { DeliveryProcessor } from '../process-deliveries/delivery-processor';
import { findByWebhookId, insertDeliveries, type NewDelivery } from '../webhook-deliveries';

export const DELIVERY_STREAM_TYPE = 'bank-webhook-delivery';

export type Receipt = { status: 200 | 202; id: string };

type Verified = SignedDelivery & { webhookId: string; timestamp: string; signature: string };

/** Deliveries arriving together share one transaction, up to this many. */
const MAX_DELIVERIES_PER_COMMIT = 100;

/**
 * The bank-facing edge: verify, then store the raw delivery (with BankWebhookAccepted) before
 * answering, so nothing a bank sent is lost; processing happens later. A webhook-id seen before
 * gets the answer its first delivery got, and nothing is recorded again.
 *
 * Concurrent deliveries are stored by group commit: those that arrive while a transaction is being
 * written go together in the next, each answered once that has committed.
 */
@Injectable()
export class WebhookInbox {
  private readonly commits = new GroupCommit((deliveries: NewDelivery[]) => this.store(deliveries), {
    maxBatch: MAX_DELIVERIES_PER_COMMIT,
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: PostgresEventStore,
    private readonly processor: DeliveryProcessor,
    private readonly secrets: WebhookSecrets,
  ) {}

  async receive(bankId: string, delivery: SignedDelivery, now: Date): Promise<Receipt> {
    if (!isUuid(bankId)) throw new NotFoundError('Bank', bankId);
    // The secrets as last read decide at once nearly always; what they cannot decide is decided on the table as it is now.
    return (await this.attempt(bankId, delivery, now, false)) ?? (await this.attempt(bankId, delivery, now, true))!;
  }

  /** The answer; null when the secrets as last read (not `fresh`) could not decide it. */
  private async attempt(bankId: string, delivery: SignedDelivery, now: Date, fresh: boolean): Promise<Receipt | null> {
    const secrets = await this.secrets.verifying(bankId, now, fresh);
    const { verdict, signedWith } = authenticateWebhook(
      delivery,
      secrets.map((s) => s.secret),
      Math.floor(now.getTime() / 1000),
    );
    // Secrets are kept only for banks that have some: none means none in the table.
    if (secrets.length === 0) throw new NotFoundError('Bank', bankId);
    if (verdict !== 'valid' && !fresh) return null;
    if (verdict === 'invalid_signature') throw WebhookErrors.invalidSignature();
    if (verdict === 'stale_timestamp') throw WebhookErrors.staleTimestamp();
    const verified = delivery as Verified;
    const parsed = parseBankNotification(delivery.body, businessDatesToday(now).occurred);
    const stored = await this.commits.submit({
      id: randomUUID(),
      bankId,
      ...verified,
      type: parsed.ok ? parsed.notification.type : null,
      status: parsed.ok ? 'pending' : 'quarantined',
      errorMessage: parsed.ok ? null : parsed.reason,
      receivedAt: now.toISOString(),
      signedWith: secrets.find((s) => s.secret === signedWith)!.sealed,
    });
    if (stored !== null) {
      if (!parsed.ok) throw WebhookErrors.invalidPayload(parsed.reason);
      return { status: 202, id: stored };
    }
    // Not stored: the secret that signed it had ended when it arrived (decided on the table as it is
    // now), or a webhook-id seen before: 200 and nothing recorded, whatever became of the first delivery.
    if (!fresh) return null;
    const earlier = await findByWebhookId(this.dataSource, bankId, verified.webhookId);
    if (earlier) return { status: 200, id: earlier.id };
    throw WebhookErrors.invalidSignature();
  }

  /**
   * One transaction for the deliveries given: their rows, and a BankWebhookAccepted on a stream of
   * its own (id = the delivery's id) for each valid one stored. Answers each one's id, or null
   * when it was not stored.
   */
  private store(deliveries: NewDelivery[]): Promise<(string | null)[]> {
    return UnitOfWork.run(this.dataSource, async (unit) => {
      const stored = await insertDeliveries(unit.manager, deliveries);
      const accepted = deliveries.filter((delivery) => stored.has(delivery.id) && delivery.status === 'pending');
      const appended = await this.events.appendEachInTransaction(
        unit.manager,
        accepted.map((delivery) => {
          const data: BankWebhookAcceptedData = {
            bankId: delivery.bankId,
            deliveryId: delivery.webhookId,
            type: delivery.type!,
            receivedAt: delivery.receivedAt,
          };
          return {
            streamId: delivery.id,
            streamType: DELIVERY_STREAM_TYPE,
            expectedVersion: 0,
            events: [{ type: 'BankWebhookAccepted', data }],
            metadata: { correlationId: delivery.id, causationId: null, actor: { bankId: delivery.bankId } },
          };
        }),
      );
      if (accepted.length > 0) {
        unit.afterCommit(() => this.events.notifications.emit('appended', appended.length));
        unit.afterCommit(() => this.processor.deliveriesStored(accepted.length));
      }
      return deliveries.map((delivery) => (stored.has(delivery.id) ? delivery.id : null));
    });
  }
}
