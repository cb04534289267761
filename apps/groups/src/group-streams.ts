import { Injectable } from '@nestjs/common';
import { NetworkCommandHandler } from './networks/network.command-handler';
import { ShgCommandHandler } from './shgs/shg.command-handler';

/** The command paths of both of groups' aggregates, for the use cases that decide on a network and an SHG. */
@Injectable()
export class GroupStreams {
  constructor(
    readonly networks: NetworkCommandHandler,
    readonly shgs: ShgCommandHandler,
  ) {}
}
