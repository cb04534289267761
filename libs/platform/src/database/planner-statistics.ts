import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ServiceWorker } from '../service-worker';

/** How often the tables' sizes are compared with what the planner last learnt of them. */
const CHECK_EVERY_MS = 5_000;
/** A table is worth analysing once it holds this many rows; after that, each time it has doubled. */
const ROWS_WORTH_ANALYSING = 1_000;
/** undefined_table, invalid_schema_name. */
const DROPPED = new Set(['42P01', '3F000']);

/**
 * Keeps the planner's row counts up with tables that grow fast. A prepared statement's generic plan
 * (queryPrepared) is made once per connection from the statistics of that moment and kept until
 * ANALYZE changes them. Made while a new database's tables were nearly empty, it reads them whole:
 * under the webhook bench the delivery processor scanned all of webhook_deliveries to mark each
 * batch, and the relay all of events, more every second. Autovacuum, where it runs, analyses a
 * table within about a minute (its naptime), late for a service that fills its tables in seconds
 * (at go-live, in tests, in benches); where it is off (as on the Postgres this project's CI runs
 * on), nothing else ever does. So a table holding twice the rows its statistics say is analysed
 * now, and Postgres plans again the statements that read it. Once tables are large, doubling
 * takes long: autovacuum, where it runs, is first.
 */
@Injectable()
export class PlannerStatistics extends ServiceWorker {
  constructor(private readonly dataSource: DataSource) {
    super({
      name: 'planner-statistics',
      idleMs: CHECK_EVERY_MS,
      retryAfterErrorMs: CHECK_EVERY_MS,
      failedRound: 'analysing grown tables failed, will try again',
    });
  }

  protected async round(): Promise<boolean> {
    await this.analyzeGrownTables();
    return false;
  }

  /** Analyses the database's tables that hold twice the rows their statistics say (and at least ROWS_WORTH_ANALYSING); answers their names. */
  async analyzeGrownTables(): Promise<string[]> {
    // pg_stat_user_tables' own filter and live-row count, without the view's dozen other counters
    // (a tenth of its cost), and no other session's temporary tables (which only it can analyse);
    // reltuples is -1 for a table never analysed.
    const grown: { name: string }[] = await this.dataSource.query(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'r' AND c.relpersistence <> 't' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
         AND pg_stat_get_live_tuples(c.oid) >= greatest(2 * c.reltuples, $1)
       ORDER BY name`,
      [ROWS_WORTH_ANALYSING],
    );
    const analysed: string[] = [];
    for (const { name } of grown) {
      try {
        // SKIP_LOCKED: a table autovacuum or another instance is analysing right now is left to it.
        await this.dataSource.query(`ANALYZE (SKIP_LOCKED) ${name}`);
        analysed.push(name);
      } catch (error) {
        // Dropped since it was listed (reporting drops a replaced generation's schema): nothing to analyse.
        if (!DROPPED.has((error as { code?: string }).code ?? '')) throw error;
      }
    }
    if (analysed.length > 0) this.logger.debug({ msg: 'analysed grown tables', tables: analysed });
    return analysed;
  }
}
