import { Injectable } from '@nestjs/common';
import { CommandHandler, PostgresEventStore } from '@sangam/event-store';
import { shgDecider, type ShgCommand, type ShgState } from './domain/shg.decider';
import { SHG_STREAM_TYPE, type ShgEvent } from './domain/shg.events';

/** The command path of an SHG (a meeting's deposits all land on its stream, queued on its row). */
@Injectable()
export class ShgCommandHandler extends CommandHandler<ShgState, ShgCommand, ShgEvent> {
  constructor(store: PostgresEventStore) {
    super(store, { decider: shgDecider, streamType: SHG_STREAM_TYPE });
  }
}
