import { DomainError } from '@sangam/domain';
import { paise } from './paise';

describe('a read-model figure in paise', () => {
  it('reads Postgres sums, numbers and nothing as paise', () => {
    expect([paise('9007199254740991'), paise(-9_007_199_254_740_991n), paise(42), paise(null)]).toEqual([
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      42,
      0,
    ]);
  });

  it('refuses with 422 amount_too_large a figure JSON cannot carry exactly, rather than rounding it or failing with a 500', () => {
    for (const tooLarge of ['9007199254740992', -9_007_199_254_740_992n, '100000000000000000000']) {
      let thrown: unknown;
      try {
        paise(tooLarge);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      expect(thrown).toMatchObject({ code: 'amount_too_large', category: 'business_rule' });
    }
  });
});
