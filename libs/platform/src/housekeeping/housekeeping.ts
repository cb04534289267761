import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../kafka/kafka.tokens';

/**
 * One kind of row that only grows: `table` rows matching `where` and older than `retentionDays` by
 * `ageColumn` go (an index on that column keeps it cheap).
 */
export interface Prune {
  table: string;
  ageColumn: string;
  retentionDays: number;
  /** Only rows that are done with (a processed delivery, a sent outbox row). */
  where?: string;
}

/** Rows per DELETE: short transactions that never hold many locks. */
const BATCH = 5_000;

/**
 * Prunes the tables that only grow, by age, in small batches, every HOUSEKEEPING_INTERVAL_MINUTES
 * (and once shortly after start). What each service keeps, and for how long, is in the README.
 */
@Injectable()
export class Housekeeping implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('housekeeping');
  private readonly prunes: Prune[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.register({ table: 'processed_events', ageColumn: 'processed_at', retentionDays: config.retention.processedEventsDays });
  }

  register(prune: Prune): void {
    this.prunes.push(prune);
  }

  onApplicationBootstrap(): void {
    const every = this.config.retention.intervalMinutes * 60_000;
    this.timer = setInterval(() => void this.runQuietly(), every);
    this.timer.unref();
    setTimeout(() => void this.runQuietly(), 30_000).unref();
  }

  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Prunes every registered table; answers how many rows went from each. */
  async run(): Promise<Record<string, number>> {
    const pruned: Record<string, number> = {};
    for (const { table, ageColumn, retentionDays, where } of this.prunes) {
      pruned[table] = 0;
      for (;;) {
        const [, count]: [unknown, number] = await this.dataSource.query(
          `DELETE FROM ${table} WHERE ctid IN (
             SELECT ctid FROM ${table} WHERE ${ageColumn} < now() - make_interval(days => $1) ${where ? `AND ${where}` : ''} LIMIT ${BATCH})`,
          [retentionDays],
        );
        pruned[table] += count;
        if (count < BATCH) break;
      }
    }
    return pruned;
  }

  private async runQuietly(): Promise<void> {
    try {
      const pruned = await this.run();
      if (Object.values(pruned).some((count) => count > 0)) this.logger.log({ msg: 'pruned', pruned });
    } catch (error) {
      this.logger.warn(`housekeeping failed, will try again: ${String(error)}`);
    }
  }
}
