import { createServiceApp, loadServiceConfig } from '@sangam/platform';
import { GroupsModule } from './groups.module';

async function main() {
  const config = loadServiceConfig('groups');
  await createServiceApp(GroupsModule.forRoot(config), config);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
