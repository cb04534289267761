import { createServiceApp, loadServiceConfig } from '@sangam/platform';
import { LendingModule } from './lending.module';

async function main() {
  const config = loadServiceConfig('lending');
  await createServiceApp(LendingModule.forRoot(config), config);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
