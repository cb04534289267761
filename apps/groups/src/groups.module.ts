import { Module, type DynamicModule } from '@nestjs/common';
import { Topics } from '@sangam/messaging';
import { PlatformModule, type ServiceConfig } from '@sangam/platform';

@Module({})
export class GroupsModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: GroupsModule,
      imports: [PlatformModule.forService({ config, migrations: [], eventTopic: Topics.groups })],
    };
  }
}
