import { Injectable } from '@nestjs/common';
import { PostgresEventStore, readState } from '@sangam/event-store';
import { networkDecider, requireNetwork, type FormedNetwork } from './domain/network.decider';

/** A network as its stream tells it now (`GET /networks/:id`); not_found when it was never formed. */
@Injectable()
export class NetworkQuery {
  constructor(private readonly store: PostgresEventStore) {}

  async byId(networkId: string): Promise<FormedNetwork> {
    return requireNetwork((await readState(this.store, networkDecider, networkId)).state, networkId);
  }
}
