import { WaitingDisbursementsController } from './loans/waiting-disbursements/waiting-disbursements.controller';
import { GetNetworkFundsController } from './lenders/get-network-funds/get-network-funds.controller';
import { ListLoansController } from './loans/list-loans/list-loans.controller';
import { LoanIndex1764800000300, loanIndexProjection } from './loans/list-loans/loan-index';
import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@sangam/messaging';
import { PlatformModule, type EventStorage, type ServiceConfig, type ServiceStorage } from '@sangam/platform';
import { GroupsViewConsumer } from './lenders/projections/groups-view.consumer';
import { LENDING_MIGRATIONS } from './lending.migration';
import { ApplyForLoanController } from './loans/apply-for-loan/apply-for-loan.controller';
import { ApproveLoanController } from './loans/approve-loan/approve-loan.controller';
import { DisburseLoanController } from './loans/disburse-loan/disburse-loan.controller';
import { FundingAnswersConsumer } from './loans/funding-answers/funding-answers.consumer';
import { GetLoanController } from './loans/get-loan/get-loan.controller';
import { LoanCommandHandler } from './loans/loan.command-handler';
import { LoanQuery } from './loans/loan.query';
import { LoanParties } from './loans/loan-parties';
import { RecordRepaymentController } from './loans/record-repayment/record-repayment.controller';
import { RejectLoanController } from './loans/reject-loan/reject-loan.controller';
import { LOAN_UPCASTERS } from './loans/domain/loan.upcasters';
import { LENDING_PUBLISHED_LANGUAGE } from './published-language';

export const LENDING_STORAGE: ServiceStorage & EventStorage = {
  migrations: [...LENDING_MIGRATIONS, LoanIndex1764800000300],
  eventTopic: Topics.lending,
  publishedLanguage: LENDING_PUBLISHED_LANGUAGE,
  upcasters: LOAN_UPCASTERS,
  inlineProjections: [loanIndexProjection],
};

@Module({})
export class LendingModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: LendingModule,
      imports: [PlatformModule.forService({ config, ...LENDING_STORAGE, access: { topics: [Topics.groups], ties: LoanParties } })],
      controllers: [
        ListLoansController,
        WaitingDisbursementsController,
        GetNetworkFundsController,
        ApplyForLoanController,
        ApproveLoanController,
        RejectLoanController,
        DisburseLoanController,
        RecordRepaymentController,
        GetLoanController,
      ],
      providers: [LoanCommandHandler, LoanQuery, GroupsViewConsumer, FundingAnswersConsumer],
    };
  }
}
