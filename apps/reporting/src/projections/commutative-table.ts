import type { EntityManager } from 'typeorm';
import { queryPrepared } from '@sangam/messaging';

export type SqlType = 'text' | 'bigint' | 'integer' | 'smallint' | 'date' | 'timestamptz' | 'jsonb';
type Columns = Readonly<Record<string, SqlType>>;

export interface TableShape {
  name: string;
  keys: Columns;
  /** The first value wins: the events that carry a fact never disagree on it. */
  facts?: Columns;
  /** Added up (amounts, counts); missing means 0. */
  sums?: Columns;
  /** The greatest value wins (a stage in a lifecycle that only moves forward). */
  maxima?: Columns;
  indexes?: readonly (readonly string[])[];
}

export type Row = Record<string, unknown>;

const isMissing = (value: unknown) => value === undefined || value === null;

/**
 * A read-model table whose every column merges commutatively and associatively: a key, a fact,
 * a sum or a maximum. A batch of events therefore folds into one row per key and one upsert,
 * and any order of arrival (across topics, partitions or batches) gives the same rows.
 */
export class CommutativeTable {
  readonly ddl: readonly string[];
  /** Without sums, applying an event twice changes nothing. */
  readonly idempotent: boolean;
  private readonly keys: string[];
  private readonly facts: string[];
  private readonly sums: string[];
  private readonly maxima: string[];
  private readonly upsertSql: string;

  constructor(readonly shape: TableShape) {
    const { name, keys, facts = {}, sums = {}, maxima = {}, indexes = [] } = shape;
    [this.keys, this.facts, this.sums, this.maxima] = [keys, facts, sums, maxima].map(Object.keys);
    this.idempotent = this.sums.length === 0;
    const columns = { ...keys, ...facts, ...sums, ...maxima };
    const definitions = [
      ...this.keys.map((c) => `${c} ${keys[c]} NOT NULL`),
      ...this.facts.map((c) => `${c} ${facts[c]}`),
      ...this.sums.map((c) => `${c} ${sums[c]} NOT NULL DEFAULT 0`),
      ...this.maxima.map((c) => `${c} ${maxima[c]}`),
      `PRIMARY KEY (${this.keys.join(', ')})`,
    ];
    this.ddl = [
      `CREATE TABLE ${name} (${definitions.join(', ')})`,
      ...indexes.map((columnsOfIndex) => `CREATE INDEX ON ${name} (${columnsOfIndex.join(', ')})`),
    ];
    const updates = [
      ...this.facts.map((c) => `${c} = COALESCE(${name}.${c}, excluded.${c})`),
      ...this.sums.map((c) => `${c} = ${name}.${c} + excluded.${c}`),
      ...this.maxima.map((c) => `${c} = GREATEST(${name}.${c}, excluded.${c})`),
    ];
    const names = Object.keys(columns).join(', ');
    this.upsertSql =
      `INSERT INTO ${name} (${names}) SELECT ${names} FROM json_to_recordset($1::json) AS r(${Object.entries(columns)
        .map(([c, t]) => `${c} ${t}`)
        .join(', ')}) ` +
      `ON CONFLICT (${this.keys.join(', ')}) ${updates.length > 0 ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING'}`;
  }

  keyOf(row: Row): string {
    return JSON.stringify(
      this.keys.map((k) => {
        if (isMissing(row[k])) throw new Error(`${this.shape.name} row without ${k}`);
        return (row[k] as string | number).toString();
      }),
    );
  }

  /** The same merge as the upsert, in memory. */
  merge(existing: Row | undefined, row: Row): Row {
    const merged: Row = { ...existing };
    for (const k of this.keys) merged[k] = row[k];
    for (const c of this.facts) merged[c] = isMissing(merged[c]) ? (row[c] ?? null) : merged[c];
    for (const c of this.sums)
      merged[c] = BigInt((merged[c] as bigint | number | undefined) ?? 0) + BigInt((row[c] as bigint | number | undefined) ?? 0);
    for (const c of this.maxima) {
      const [a, b] = [merged[c], row[c]] as (number | null | undefined)[];
      merged[c] = isMissing(a) ? (b ?? null) : isMissing(b) ? a : Math.max(a, b);
    }
    return merged;
  }

  async upsert(manager: EntityManager, rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return;
    await queryPrepared(manager, this.upsertSql, [
      JSON.stringify(rows, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)),
    ]);
  }
}

/** One batch of a projection's changes: rows folded per table and key, flushed as one upsert per table. */
export class ProjectionBatch {
  private readonly changes = new Map<CommutativeTable, Map<string, Row>>();

  add(table: CommutativeTable, row: Row): void {
    let rows = this.changes.get(table);
    if (!rows) this.changes.set(table, (rows = new Map<string, Row>()));
    const key = table.keyOf(row);
    rows.set(key, table.merge(rows.get(key), row));
  }

  /** True when no event added anything: the projection does not use them. */
  get isEmpty(): boolean {
    return this.changes.size === 0;
  }

  /** Sorted by key, so that concurrent batches lock shared rows in one order. */
  rows(table: CommutativeTable): Row[] {
    return [...(this.changes.get(table) ?? new Map<string, Row>()).entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, row]) => row);
  }

  async flush(manager: EntityManager, tables: readonly CommutativeTable[]): Promise<void> {
    for (const table of tables) await table.upsert(manager, this.rows(table));
  }
}
