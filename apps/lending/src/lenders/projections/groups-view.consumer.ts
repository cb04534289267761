import { Injectable } from '@nestjs/common';
import { Topics } from '@sangam/messaging';
import { ConsumerHost } from '@sangam/platform';
import { applyGroupsEvents, changesGroupsView } from './groups-view.projection';

/** Keeps lending's view of networks, SHG members and lendable funds, checkpointed with the view itself. */
@Injectable()
export class GroupsViewConsumer {
  constructor(consumers: ConsumerHost) {
    consumers.register({
      name: 'lending.groups-view',
      topics: [Topics.groups],
      appliesTo: changesGroupsView,
      handle: (events, manager) =>
        applyGroupsEvents(
          manager,
          events.map((e) => e.envelope),
        ),
    });
  }
}
