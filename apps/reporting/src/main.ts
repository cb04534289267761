import { createServiceApp, loadServiceConfig } from '@sangam/platform';
import { ReportingModule } from './reporting.module';

async function main() {
  const config = loadServiceConfig('reporting');
  await createServiceApp(ReportingModule.forRoot(config), config);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
