import { hostileJsonProblems, MAX_BODY_DEPTH } from '../src/http/hostile-json';
import { assertRouteIds, isIdParameter } from '../src/http/route-ids';

const nested = (levels: number): unknown => (levels === 1 ? [] : [nested(levels - 1)]);

describe('what no JSON body may hold, whatever the route', () => {
  it('lets ordinary text through: Indic scripts, emoji (surrogate pairs), joiners, tab and line breaks', () => {
    expect(
      hostileJsonProblems({ name: 'सावित्री नाईक', village: 'कुडाळ', note: 'two\nlines\r\n\tindented', emoji: '👩🏽‍🌾', zwj: 'क्‍ष' }),
    ).toEqual([]);
  });

  it.each([
    ['NUL', '\u0000'],
    ['another C0 control', '\u001b[31m'],
    ['vertical tab', '\u000b'],
    ['DEL', '\u007f'],
    ['a C1 control', '\u0085'],
    ['a lone high surrogate', 'a\ud800'],
    ['a lone low surrogate', '\udfffa'],
    ['two high surrogates', '\ud800\ud800'],
  ])('refuses %s in a value, naming its field', (_, text) => {
    expect(hostileJsonProblems({ borrower: { names: ['ok', text] } })).toEqual([
      { field: 'borrower.names.1', message: 'borrower.names.1 must not contain control characters or unpaired surrogates' },
    ]);
  });

  it('refuses control characters in a field name, without echoing them', () => {
    expect(hostileJsonProblems({ ['na\u0000me']: 'x' })).toEqual([
      { field: 'na\ufffdme', message: 'field names must not contain control characters or unpaired surrogates' },
    ]);
  });

  it('refuses prototype keys anywhere as unknown fields, and does not look inside them', () => {
    const body = JSON.parse('{"__proto__":{"a":"\\u0000"},"lender":{"constructor":1},"items":[{"prototype":{}}]}');
    expect(hostileJsonProblems(body)).toEqual([
      { field: '__proto__', message: 'unknown field __proto__' },
      { field: 'lender.constructor', message: 'unknown field constructor' },
      { field: 'items.0.prototype', message: 'unknown field prototype' },
    ]);
  });

  it(`accepts ${MAX_BODY_DEPTH} levels of nesting and refuses ${MAX_BODY_DEPTH + 1}, without recursion`, () => {
    expect(hostileJsonProblems(nested(MAX_BODY_DEPTH))).toEqual([]);
    expect(hostileJsonProblems(nested(MAX_BODY_DEPTH + 1))).toEqual([
      { field: expect.stringMatching(/^0(\.0)+$/), message: expect.stringContaining('nested more than 32 levels deep') },
    ]);
    const deep = JSON.parse(`{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
    expect(hostileJsonProblems(deep)).toHaveLength(1);
  });

  it('reports at most 20 problems, with bounded field names', () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, '\u0000']));
    expect(hostileJsonProblems(many)).toHaveLength(20);
    const [long] = hostileJsonProblems({ ['k'.repeat(5000)]: '\u0000' });
    expect(long.field.length).toBeLessThanOrEqual(203);
  });

  it("knows which route parameters are ids, and which ids are ours (UUIDs) or the identity provider's", () => {
    expect(['id', 'shgId', 'bankId', 'userId'].every(isIdParameter)).toBe(true);
    expect(['year', 'identity', 'Id', 'path'].some(isIdParameter)).toBe(false);
    const uuid = '853e4e43-9674-4545-ad0a-2c0e215b82f7';
    expect(() => assertRouteIds({ id: uuid, shgId: uuid, userId: 'auth0|5f7c8ec7c33c6c004bbafe82', year: '2025' })).not.toThrow();
    for (const params of [
      { id: 'abc' },
      { shgId: `${uuid}\u0000` },
      { bankId: 'a'.repeat(1000) },
      { userId: 'a\u0000' },
      { userId: 'two words' },
      { userId: 'x'.repeat(256) },
      { userId: '' },
    ]) {
      expect(() => assertRouteIds(params)).toThrow(expect.objectContaining({ code: 'not_found', message: 'No such route or resource' }));
    }
  });
});
