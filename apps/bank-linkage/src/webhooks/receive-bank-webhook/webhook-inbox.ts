import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BankWebhookAcceptedData } from '@sangam/contracts';
import { NotFoundError } from '@sangam/domain';
import { PostgresEventStore, type UnitOfWork } from '@sangam/event-store';
import { businessDatesToday } from '@sangam/platform';
import { WebhookSecrets } from '../../banks/webhook-secrets';
import { isUuid } from '@sangam/domain';
import { parseBankNotification, type BankNotification } from '../domain/bank-notification';
import { WebhookErrors } from '../domain/webhook.errors';
import { verifyWebhookSignature, type SignedDelivery } from '../domain/webhook-signature';
import { DeliveryProcessor } from '../process-deliveries/delivery-processor';
import { findByWebhookId, insertDelivery, type DeliveryRow, type NewDelivery } from '../webhook-deliveries';

export const DELIVERY_STREAM_TYPE = 'bank-webhook-delivery';

export type Receipt = { status: 200 | 202; id: string };

type Verified = SignedDelivery & { webhookId: string; timestamp: string; signature: string };

/**
 * The bank-facing edge: verify, then store the raw delivery (with BankWebhookAccepted, in the
 * request's unit of work) before answering, so nothing a bank sent is lost; processing happens later. A
 * webhook-id seen before gets the answer its first delivery got, and nothing is recorded again.
 */
@Injectable()
export class WebhookInbox {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: PostgresEventStore,
    private readonly processor: DeliveryProcessor,
    private readonly secrets: WebhookSecrets,
  ) {}

  async receive(unit: UnitOfWork, bankId: string, delivery: SignedDelivery, now: Date): Promise<Receipt> {
    const secrets = isUuid(bankId) ? await this.secrets.verifying(bankId, now) : [];
    if (secrets.length === 0) throw new NotFoundError('Bank', bankId);
    const verdict = verifyWebhookSignature(delivery, secrets, Math.floor(now.getTime() / 1000));
    if (verdict === 'invalid_signature') throw WebhookErrors.invalidSignature();
    if (verdict === 'stale_timestamp') throw WebhookErrors.staleTimestamp();
    const verified = delivery as Verified;
    // A webhook-id seen before is found by the insert's conflict: a first delivery costs no look-up.
    const parsed = parseBankNotification(delivery.body, businessDatesToday(now).occurred);
    const row = { id: randomUUID(), bankId, ...verified, receivedAt: now.toISOString() };
    const storedId = parsed.ok ? await this.accept(unit, row, parsed.notification) : await this.quarantine(row, parsed.reason);
    if (storedId === null) return this.repeated((await findByWebhookId(this.dataSource, bankId, verified.webhookId))!);
    if (!parsed.ok) throw WebhookErrors.invalidPayload(parsed.reason);
    unit.afterCommit(() => this.processor.nudge());
    return { status: 202, id: storedId };
  }

  /** The contract: the same webhook-id again is 200 and records nothing, whatever became of the first delivery. */
  private repeated(earlier: DeliveryRow): Receipt {
    return { status: 200, id: earlier.id };
  }

  private async accept(
    unit: UnitOfWork,
    row: Omit<NewDelivery, 'type' | 'status' | 'errorMessage'>,
    notification: BankNotification,
  ): Promise<string | null> {
    const id = await insertDelivery(unit.manager, { ...row, type: notification.type, status: 'pending', errorMessage: null });
    if (id === null) return null;
    const data: BankWebhookAcceptedData = {
      bankId: row.bankId,
      deliveryId: row.webhookId,
      type: notification.type,
      receivedAt: row.receivedAt,
    };
    const { events } = await this.store.appendInTransaction(
      unit.manager,
      { streamId: id, streamType: DELIVERY_STREAM_TYPE, expectedVersion: 0, events: [{ type: 'BankWebhookAccepted', data }] },
      { correlationId: id, causationId: null, actor: { bankId: row.bankId } },
    );
    unit.afterCommit(() => this.store.notifications.emit('appended', events.length));
    return id;
  }

  /** Kept although the request is refused (outside its unit of work): an operator can see what the bank sent. */
  private quarantine(row: Omit<NewDelivery, 'type' | 'status' | 'errorMessage'>, reason: string): Promise<string | null> {
    return insertDelivery(this.dataSource.manager, { ...row, type: null, status: 'quarantined', errorMessage: reason });
  }
}
