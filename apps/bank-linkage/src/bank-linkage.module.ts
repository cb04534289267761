import { DeliveryRetention, ProcessedDeliveriesByAge1764800000600 } from './webhooks/delivery-retention';
import { SanctionedLimits1764800000100, sanctionedLimitsProjection } from './credit-lines/projections/sanctioned-limits';
import { CreditLineBank } from './credit-lines/credit-line-bank';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@sangam/messaging';
import {
  grantsController,
  PlatformModule,
  type EventStorage,
  type ServiceConfig,
  type ServiceStorage,
  type StartOptions,
} from '@sangam/platform';
import { BankCommandHandler } from './banks/bank.command-handler';
import { CreditLineCommandHandler } from './credit-lines/credit-line.command-handler';
import { CreditLineQuery } from './credit-lines/credit-line.query';
import { keepFoldedStates } from '@sangam/event-store';
import { creditLineDecider } from './credit-lines/domain/credit-line.decider';
import { BankLinkageSchema1764202000000 } from './bank-linkage.migration';
import { RegisterBankController } from './banks/register-bank/register-bank.controller';
import { RotateWebhookSecretController } from './banks/rotate-webhook-secret/rotate-webhook-secret.controller';
import { loadSealingKey } from './banks/sealing-key';
import { SecretSealer } from './banks/secret-sealing';
import { WebhookSecrets } from './banks/webhook-secrets';
import { DrawCreditController } from './credit-lines/draw-credit/draw-credit.controller';
import { FundLoanDisbursementConsumer } from './credit-lines/fund-loan-disbursement/fund-loan-disbursement.consumer';
import { GetCreditLineController } from './credit-lines/get-credit-line/get-credit-line.controller';
import { BorrowerSavingsProjection } from './credit-lines/projections/borrower-savings.projection';
import { RepayCreditController } from './credit-lines/repay-credit/repay-credit.controller';
import { ListCreditLinesController } from './credit-lines/list-credit-lines/list-credit-lines.controller';
import { SanctionCreditLineController } from './credit-lines/sanction-credit-line/sanction-credit-line.controller';
import { ListDeliveriesController } from './webhooks/list-deliveries/list-deliveries.controller';
import { DeliveryProcessor } from './webhooks/process-deliveries/delivery-processor';
import { ReceiveBankWebhookController } from './webhooks/receive-bank-webhook/receive-bank-webhook.controller';
import { WebhookInbox } from './webhooks/receive-bank-webhook/webhook-inbox';
import { RedriveDeliveryController } from './webhooks/redrive-delivery/redrive-delivery.controller';

/** Bank webhooks are verified over the exact bytes received, so their bodies are kept raw. */
export const BANK_LINKAGE_START_OPTIONS: StartOptions = {
  rawBodyPaths: ['/webhooks/banks'],
  description: 'Banks, cash-credit lines and signed bank webhooks. See shared/contract.md for paise, dates, errors and idempotency.',
};

// A credit line gathers a charge or a repayment per bank notice: its commands fold only what is newer than the state kept.
keepFoldedStates(creditLineDecider);

export const BANK_LINKAGE_STORAGE: ServiceStorage & EventStorage = {
  migrations: [BankLinkageSchema1764202000000, SanctionedLimits1764800000100, ProcessedDeliveriesByAge1764800000600],
  eventTopic: Topics.bankLinkage,
  publishedLanguage: BANK_LINKAGE_PUBLISHED_LANGUAGE,
  inlineProjections: [sanctionedLimitsProjection],
};

import { BANK_LINKAGE_PUBLISHED_LANGUAGE } from './published-language';

@Module({})
export class BankLinkageModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    const sealingKey = loadSealingKey();
    const sealer = new SecretSealer(sealingKey.key);
    if (typeof sealingKey.origin !== 'string' && sealingKey.origin.created) {
      new Logger('webhook-secrets').warn({
        file: sealingKey.origin.file,
        msg: "created a new key that seals banks' webhook secrets: back it up apart from the database",
      });
    }
    return {
      module: BankLinkageModule,
      imports: [
        PlatformModule.forService({
          config,
          ...BANK_LINKAGE_STORAGE,
          answerSealer: sealer,
          access: { ownEvents: true, ties: CreditLineBank },
        }),
      ],
      controllers: [
        grantsController({
          resource: 'banks',
          objectType: 'bank',
          roles: [],
          handler: BankCommandHandler,
          target: (bankId) => ({ bankId }),
        }),
        RegisterBankController,
        RotateWebhookSecretController,
        ListCreditLinesController,
        SanctionCreditLineController,
        DrawCreditController,
        RepayCreditController,
        GetCreditLineController,
        ReceiveBankWebhookController,
        ListDeliveriesController,
        RedriveDeliveryController,
      ],
      providers: [
        BankCommandHandler,
        CreditLineCommandHandler,
        CreditLineQuery,
        BorrowerSavingsProjection,
        DeliveryRetention,
        FundLoanDisbursementConsumer,
        DeliveryProcessor,
        WebhookInbox,
        WebhookSecrets,
        { provide: SecretSealer, useValue: sealer },
      ],
    };
  }
}
