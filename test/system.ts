import { BANK_LINKAGE_START_OPTIONS, BankLinkageModule } from '../apps/bank-linkage/src/bank-linkage.module';
import { GroupsModule } from '../apps/groups/src/groups.module';
import { LendingModule } from '../apps/lending/src/lending.module';
import { ReportingModule } from '../apps/reporting/src/reporting.module';
import { startService, type RunningService } from '@sangam/testing';
import type { ServiceUrls } from '../scripts/demo/sangam-client';

export interface RunningSystem {
  urls: ServiceUrls;
  services: Record<keyof ServiceUrls, RunningService>;
  stop: () => Promise<void>;
}

/** The four services in this process, against the real broker and their own databases. */
export async function startSystem(databasePrefix: string): Promise<RunningSystem> {
  const [groups, lending, bankLinkage, reporting] = await Promise.all([
    startService('groups', GroupsModule.forRoot, { databasePrefix }),
    startService('lending', LendingModule.forRoot, { databasePrefix }),
    startService('bank-linkage', BankLinkageModule.forRoot, { ...BANK_LINKAGE_START_OPTIONS, databasePrefix }),
    startService('reporting', ReportingModule.forRoot, { databasePrefix }),
  ]);
  const services = { groups, lending, bankLinkage, reporting };
  return {
    services,
    urls: { groups: groups.url, lending: lending.url, bankLinkage: bankLinkage.url, reporting: reporting.url },
    stop: async () => {
      for (const service of Object.values(services)) await service.stop();
    },
  };
}
