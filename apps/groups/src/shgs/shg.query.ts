import { Injectable } from '@nestjs/common';
import { PostgresEventStore, readState } from '@sangam/event-store';
import { requireShg, shgDecider, type FormedShg } from './domain/shg.decider';

/** An SHG as its stream tells it now (`GET /shgs/:id`); not_found when it was never formed. */
@Injectable()
export class ShgQuery {
  constructor(private readonly store: PostgresEventStore) {}

  async byId(shgId: string): Promise<FormedShg> {
    return requireShg((await readState(this.store, shgDecider, shgId)).state, shgId);
  }
}
