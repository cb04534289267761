import { directoryProjection, GroupDirectory1764800000200 } from './directory/directory';
import { ListNetworksController } from './directory/list-networks/list-networks.controller';
import { ListShgsController } from './directory/list-shgs/list-shgs.controller';
import { Module, type DynamicModule } from '@nestjs/common';
import { keepFoldedStates } from '@sangam/event-store';
import { Topics } from '@sangam/messaging';
import { grantsController, PlatformModule, type EventStorage, type ServiceConfig, type ServiceStorage } from '@sangam/platform';
import { GroupStreams } from './group-streams';
import { NetworkCommandHandler } from './networks/network.command-handler';
import { NetworkQuery } from './networks/network.query';
import { ShgCommandHandler } from './shgs/shg.command-handler';
import { ShgQuery } from './shgs/shg.query';
import { shgDecider } from './shgs/domain/shg.decider';
import { networkDecider } from './networks/domain/network.decider';
import { LendSavingsConsumer } from './shgs/lend-savings/lend-savings.consumer';
import { AssessAnnualFeesController } from './networks/assess-annual-fees/assess-annual-fees.controller';
import { ContributeToFundController } from './networks/contribute-to-fund/contribute-to-fund.controller';
import { ExitNetworkController } from './networks/exit-network/exit-network.controller';
import { FormNetworkController } from './networks/form-network/form-network.controller';
import { GetNetworkController } from './networks/get-network/get-network.controller';
import { JoinNetworkController } from './networks/join-network/join-network.controller';
import { PayAnnualFeeController } from './networks/pay-annual-fee/pay-annual-fee.controller';
import { DepositSavingsController } from './shgs/deposit-savings/deposit-savings.controller';
import { EnrolMemberController } from './shgs/enrol-member/enrol-member.controller';
import { FormShgController } from './shgs/form-shg/form-shg.controller';
import { GetShgController } from './shgs/get-shg/get-shg.controller';
import { WithdrawSavingsController } from './shgs/withdraw-savings/withdraw-savings.controller';
import { GROUPS_PUBLISHED_LANGUAGE } from './published-language';

/** The system of record for SHGs and their networks: state lives in its event streams, read by folding them. */
// An SHG saves every week for years: its commands fold only what is newer than the state kept (see the event store's README).
keepFoldedStates(shgDecider, networkDecider);

export const GROUPS_STORAGE: ServiceStorage & EventStorage = {
  migrations: [GroupDirectory1764800000200],
  eventTopic: Topics.groups,
  publishedLanguage: GROUPS_PUBLISHED_LANGUAGE,
  inlineProjections: [directoryProjection],
};

@Module({})
export class GroupsModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: GroupsModule,
      imports: [PlatformModule.forService({ config, ...GROUPS_STORAGE, access: { ownEvents: true } })],
      controllers: [
        grantsController({
          resource: 'shgs',
          objectType: 'shg',
          roles: ['field-officer'],
          handler: ShgCommandHandler,
          target: (shgId) => ({ shgId }),
        }),
        grantsController({
          resource: 'networks',
          objectType: 'network',
          roles: [],
          handler: NetworkCommandHandler,
          target: (networkId) => ({ networkId }),
        }),
        ListNetworksController,
        ListShgsController,
        FormShgController,
        GetShgController,
        EnrolMemberController,
        DepositSavingsController,
        WithdrawSavingsController,
        FormNetworkController,
        GetNetworkController,
        JoinNetworkController,
        ExitNetworkController,
        AssessAnnualFeesController,
        PayAnnualFeeController,
        ContributeToFundController,
      ],
      providers: [NetworkCommandHandler, ShgCommandHandler, GroupStreams, NetworkQuery, ShgQuery, LendSavingsConsumer],
    };
  }
}
