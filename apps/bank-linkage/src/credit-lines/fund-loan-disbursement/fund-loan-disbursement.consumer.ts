import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { asksBankLinkage, type CreditDrawRejectionReason, type CreditLineDisbursementRequest } from '@sangam/contracts';
import { DomainError, type CommandMetadata } from '@sangam/domain';
import { PostgresEventStore, UnitOfWork } from '@sangam/event-store';
import { Topics, type ConsumedEvent, type EventEnvelope } from '@sangam/messaging';
import { ConsumerHost } from '@sangam/platform';
import { CreditLineCommandHandler } from '../credit-line.command-handler';
import type { CreditLineCommand } from '../domain/credit-line.decider';

export const DRAW_REQUEST_STREAM_TYPE = 'credit-draw-request';

const rejectionReason = (error: DomainError): CreditDrawRejectionReason =>
  error.code === 'not_found' ? 'unknown_credit_line' : (error.code as CreditDrawRejectionReason);

export const drawCommandFor = (request: CreditLineDisbursementRequest, drawdownId: string): CreditLineCommand => ({
  type: 'DrawCredit',
  data: {
    creditLineId: request.creditLineId,
    drawdownId,
    amount: request.amount,
    drawnOn: request.requestedOn,
    purpose: request.purpose,
    bankReference: null,
    loan: { id: request.loanId, lender: request.lender },
  },
});

/** The lending requests bank-linkage answers: disbursements funded by a credit line. */
const isCreditLineRequest = (envelope: EventEnvelope): envelope is EventEnvelope<CreditLineDisbursementRequest> =>
  envelope.type === 'LoanDisbursementRequested' && asksBankLinkage(envelope.data as CreditLineDisbursementRequest);

/**
 * Bank-linkage's part of the credit-line-funded loan saga: each LoanDisbursementRequested is
 * answered with CreditDrawn or CreditDrawRejected in the transaction that stores the consumer's
 * checkpoint and the request's eventId, so a redelivered request is never answered twice.
 */
@Injectable()
export class FundLoanDisbursementConsumer {
  constructor(
    consumers: ConsumerHost,
    private readonly store: PostgresEventStore,
    private readonly creditLines: CreditLineCommandHandler,
  ) {
    consumers.register({
      name: 'fund-loan-disbursement',
      topics: [Topics.lending],
      appliesTo: isCreditLineRequest,
      handle: (events, manager) => this.handle(events, manager),
    });
  }

  private async handle(events: ConsumedEvent[], manager: EntityManager): Promise<void> {
    const requests = events.map(({ envelope }) => envelope).filter(isCreditLineRequest);
    await this.store.lockStreams(
      manager,
      requests.map((request) => request.data.creditLineId),
    );
    const unit = UnitOfWork.joining(manager);
    for (const request of requests) await this.answer(request, unit);
  }

  private async answer(request: EventEnvelope<CreditLineDisbursementRequest>, unit: UnitOfWork): Promise<void> {
    const metadata: CommandMetadata = {
      correlationId: request.correlationId,
      causationId: request.eventId,
      actor: { service: 'bank-linkage' },
    };
    const { data } = request;
    try {
      await this.creditLines.handle(unit, data.creditLineId, { ...drawCommandFor(data, randomUUID()), metadata });
    } catch (error) {
      if (!(error instanceof DomainError) || error.category === 'conflict') throw error;
      const rejection = {
        creditLineId: data.creditLineId,
        loanId: data.loanId,
        amount: data.amount,
        reason: rejectionReason(error),
        rejectedOn: data.requestedOn,
      };
      const stream = { streamId: request.eventId, streamType: DRAW_REQUEST_STREAM_TYPE, expectedVersion: 0 };
      await this.store.appendInTransaction(
        unit.manager,
        { ...stream, events: [{ type: 'CreditDrawRejected', data: rejection }] },
        metadata,
      );
    }
  }
}
