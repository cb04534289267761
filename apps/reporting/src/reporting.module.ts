import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@sangam/messaging';
import { PlatformModule, type ServiceConfig, type ServiceStorage } from '@sangam/platform';
import { GetNetworkLoansController } from './loan-book/get-network-loans/get-network-loans.controller';
import { GetNetworkDashboardController } from './network-dashboard/get-network-dashboard/get-network-dashboard.controller';
import { GetProjectionsController } from './projections/get-projections/get-projections.controller';
import type { TopicNames } from './projections/projection';
import { PROJECTION_TOPICS, ProjectionRunner, projectionContextProvider } from './projections/projection-runner';
import { ProjectionGenerations1764201900000, ProjectionRefilling1764290200000, ProjectionShapes1764290000000 } from './reporting.migration';
import { GetShgStatementController } from './shg-statement/get-shg-statement/get-shg-statement.controller';

/** Only the generations table is migrated: each projection generation's tables are created by code (projections/generations.ts). */
export const REPORTING_STORAGE: ServiceStorage = {
  migrations: [ProjectionGenerations1764201900000, ProjectionShapes1764290000000, ProjectionRefilling1764290200000],
};

/** Read models only: it projects the other services' events and owns no facts (so it has no event store). */
@Module({})
export class ReportingModule {
  /** `topics` lets a test feed the projections from topics of its own. */
  static forRoot(config: ServiceConfig, topics: TopicNames = Topics): DynamicModule {
    return {
      module: ReportingModule,
      imports: [PlatformModule.forService({ config, ...REPORTING_STORAGE, access: { topics: [topics.groups, topics.bankLinkage] } })],
      controllers: [GetNetworkDashboardController, GetNetworkLoansController, GetShgStatementController, GetProjectionsController],
      providers: [{ provide: PROJECTION_TOPICS, useValue: topics }, projectionContextProvider, ProjectionRunner],
    };
  }
}
