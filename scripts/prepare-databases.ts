/** `npm run db:prepare`: creates each service's database if missing and runs its migrations (services also do this on start). */
import { BANK_LINKAGE_STORAGE } from '../apps/bank-linkage/src/bank-linkage.module';
import { GROUPS_STORAGE } from '../apps/groups/src/groups.module';
import { LENDING_STORAGE } from '../apps/lending/src/lending.module';
import { REPORTING_STORAGE } from '../apps/reporting/src/reporting.module';
import { loadServiceConfig, openDatabase, serviceMigrations, type ServiceName, type ServiceStorage } from '@sangam/platform';
import { runCli } from './cli-support';

const STORAGE: Record<ServiceName, ServiceStorage> = {
  groups: GROUPS_STORAGE,
  lending: LENDING_STORAGE,
  'bank-linkage': BANK_LINKAGE_STORAGE,
  reporting: REPORTING_STORAGE,
};

runCli('npm run db:prepare', async () => {
  for (const [service, storage] of Object.entries(STORAGE) as [ServiceName, ServiceStorage][]) {
    const config = loadServiceConfig(service);
    const dataSource = await openDatabase(config.databaseUrl, config.databaseName, serviceMigrations(storage), 2);
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM migrations`);
    await dataSource.destroy();
    console.log(`${config.databaseName}: ready (${count} migrations applied)`);
  }
});
