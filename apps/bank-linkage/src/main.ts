import { createServiceApp, loadServiceConfig } from '@sangam/platform';
import { BANK_LINKAGE_START_OPTIONS, BankLinkageModule } from './bank-linkage.module';

async function main() {
  const config = loadServiceConfig('bank-linkage');
  await createServiceApp(BankLinkageModule.forRoot(config), config, BANK_LINKAGE_START_OPTIONS);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
