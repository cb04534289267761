import { PollingWorker } from '@sangam/messaging';
import type { CreditLineCommandHandler } from '../../credit-lines/credit-line.command-handler';
import type { DataSource } from 'typeorm';
import type { PostgresEventStore } from '@sangam/event-store';
import { DeliveryProcessor } from './delivery-processor';

/** A processor never started: only when it would start a round is observed (its rounds touch no database here). */
function idleProcessor() {
  const roundsStarted = jest.spyOn(PollingWorker.prototype, 'nudge');
  const processor = new DeliveryProcessor({} as DataSource, {} as PostgresEventStore, {} as CreditLineCommandHandler);
  return { processor, roundsStarted };
}

describe('DeliveryProcessor: stored deliveries gather into a batch before a round', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('starts a round 100 ms after the first of a few deliveries, once for all of them', () => {
    const { processor, roundsStarted } = idleProcessor();
    processor.deliveriesStored(5);
    jest.advanceTimersByTime(60);
    processor.deliveriesStored(7);
    jest.advanceTimersByTime(39);
    expect(roundsStarted).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(roundsStarted).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1000);
    expect(roundsStarted).toHaveBeenCalledTimes(1);
  });

  it('starts a round at once when a full batch of 100 has gathered, and the wait starts afresh after it', () => {
    const { processor, roundsStarted } = idleProcessor();
    processor.deliveriesStored(60);
    processor.deliveriesStored(40);
    expect(roundsStarted).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1000);
    expect(roundsStarted).toHaveBeenCalledTimes(1);
    processor.deliveriesStored(99);
    expect(roundsStarted).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(100);
    expect(roundsStarted).toHaveBeenCalledTimes(2);
  });

  it('a re-drive starts a round at once and ends the wait of what had gathered', () => {
    const { processor, roundsStarted } = idleProcessor();
    processor.deliveriesStored(3);
    processor.nudge();
    expect(roundsStarted).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1000);
    expect(roundsStarted).toHaveBeenCalledTimes(1);
  });
});
