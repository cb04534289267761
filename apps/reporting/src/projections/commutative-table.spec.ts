import fc from 'fast-check';
import { CommutativeTable, ProjectionBatch, type Row } from './commutative-table';

const accounts = new CommutativeTable({
  name: 'accounts',
  keys: { account_id: 'text' },
  facts: { holder: 'text' },
  sums: { balance: 'bigint' },
  maxima: { stage: 'smallint' },
  indexes: [['holder']],
});

const fold = (rows: Row[]) => {
  const batch = new ProjectionBatch();
  for (const row of rows) batch.add(accounts, row);
  return batch.rows(accounts);
};

describe('CommutativeTable', () => {
  it('declares keys as the primary key, sums as zero by default, and the indexes', () => {
    expect(accounts.ddl).toEqual([
      'CREATE TABLE accounts (account_id text NOT NULL, holder text, balance bigint NOT NULL DEFAULT 0, stage smallint, PRIMARY KEY (account_id))',
      'CREATE INDEX ON accounts (holder)',
    ]);
  });

  it('keeps the first fact, adds up sums and keeps the greatest maximum', () => {
    expect(
      fold([
        { account_id: 'a', balance: 100, stage: 2 },
        { account_id: 'a', holder: 'Sunita', balance: -30, stage: 1 },
        { account_id: 'b', holder: 'Asha', stage: 0 },
        { account_id: 'a', holder: 'Sunita', balance: 5n },
      ]),
    ).toEqual([
      { account_id: 'a', holder: 'Sunita', balance: 75n, stage: 2 },
      { account_id: 'b', holder: 'Asha', balance: 0n, stage: 0 },
    ]);
  });

  it('folds rows to the same result whatever their order', () => {
    const row = fc
      .record({
        account_id: fc.constantFrom('a', 'b', 'c'),
        balance: fc.option(fc.integer({ min: -1e12, max: 1e12 }), { nil: undefined }),
        stage: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
        withHolder: fc.boolean(),
      })
      .map(({ withHolder, ...r }): Row => ({ ...r, holder: withHolder ? `holder of ${r.account_id}` : undefined }));
    fc.assert(
      fc.property(
        fc
          .array(row, { maxLength: 30 })
          .chain((rows) => fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length }))),
        ([rows, shuffled]) => {
          expect(fold(shuffled)).toEqual(fold(rows));
        },
      ),
    );
  });

  it('is idempotent only without sums', () => {
    expect(accounts.idempotent).toBe(false);
    expect(new CommutativeTable({ name: 't', keys: { id: 'text' }, facts: { x: 'text' }, maxima: { m: 'integer' } }).idempotent).toBe(true);
  });

  it('refuses a row without its key', () => {
    expect(() => fold([{ holder: 'nobody' }])).toThrow('accounts row without account_id');
  });
});
