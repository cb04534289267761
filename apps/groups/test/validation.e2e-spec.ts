import { randomUUID } from 'node:crypto';
import type { RunningService } from '@sangam/testing';
import { groupsClient, startGroups, type GroupsClient } from './groups-client';

interface Route {
  path: string;
  body: Record<string, unknown>;
  money?: string[];
  /** Money fields where 0 is allowed (a network may charge no annual fee). */
  zeroAllowed?: string[];
  dates?: string[];
  ids?: string[];
  texts?: string[];
}

const id = randomUUID();
const routes: Route[] = [
  {
    path: '/shgs',
    body: { name: 'Mahila Shakti', village: 'Kudal', formedOn: '2005-04-01' },
    dates: ['formedOn'],
    texts: ['name', 'village'],
  },
  { path: `/shgs/${id}/members`, body: { name: 'Savita', role: 'leader' }, texts: ['name'] },
  {
    path: `/shgs/${id}/savings/deposits`,
    body: { memberId: id, amount: 100, depositedOn: '2005-05-01' },
    money: ['amount'],
    dates: ['depositedOn'],
    ids: ['memberId'],
  },
  {
    path: `/shgs/${id}/savings/withdrawals`,
    body: { memberId: id, amount: 100, withdrawnOn: '2005-05-01' },
    money: ['amount'],
    dates: ['withdrawnOn'],
    ids: ['memberId'],
  },
  {
    path: '/networks',
    body: { name: 'Federation', cluster: 'Kudal', formedOn: '2005-04-01', annualFee: 30_000 },
    money: ['annualFee'],
    zeroAllowed: ['annualFee'],
    dates: ['formedOn'],
    texts: ['name', 'cluster'],
  },
  { path: `/networks/${id}/members`, body: { shgId: id, joinedOn: '2005-04-15' }, dates: ['joinedOn'], ids: ['shgId'] },
  { path: `/networks/${id}/members/${id}/exit`, body: { exitedOn: '2006-03-31' }, dates: ['exitedOn'] },
  { path: `/networks/${id}/fees/2005/assessments`, body: { assessedOn: '2005-05-01' }, dates: ['assessedOn'] },
  {
    path: `/networks/${id}/fees/2005/payments`,
    body: { shgId: id, amount: 100, paidOn: '2005-06-01' },
    money: ['amount'],
    dates: ['paidOn'],
    ids: ['shgId'],
  },
  {
    path: `/networks/${id}/fund/contributions`,
    body: { shgId: id, amount: 100, contributedOn: '2005-07-01' },
    money: ['amount'],
    dates: ['contributedOn'],
    ids: ['shgId'],
  },
];

const badMoney = [100.5, '100', -100, 0, 1_000_000_000_001, null];
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
/** Unreal, or outside the dates a fact may carry: 1980-01-01 to 7 days after today (BUSINESS_DATE_MIN, BUSINESS_DATE_FUTURE_DAYS). */
const badDates = [
  '2005-02-30',
  '2005-13-01',
  '2005-4-1',
  '01-04-2005',
  '2005-04-01T00:00:00Z',
  20050401,
  '0000-01-01',
  '1900-01-01',
  '1979-12-31',
  inDays(9),
  '9999-12-31',
];
const badTexts = ['', '   ', 42, 'x'.repeat(201)];

/** Each case: the route, what is wrong, the body sent, and the field the answer must name (if any). */
const cases = routes.flatMap((route) => {
  const withField = (field: string, value: unknown) => ({ ...route.body, [field]: value });
  const without = (field: string) => Object.fromEntries(Object.entries(route.body).filter(([name]) => name !== field));
  return [
    [route.path, 'malformed JSON', '{"broken": ', undefined],
    [route.path, 'an unknown field', { ...route.body, extra: 1 }, 'extra'],
    ...Object.keys(route.body).map((field) => [route.path, `no ${field}`, without(field), field]),
    ...(route.money ?? []).flatMap((field) =>
      badMoney
        .filter((value) => value !== 0 || !route.zeroAllowed?.includes(field))
        .map((value) => [route.path, `${field} = ${JSON.stringify(value)}`, withField(field, value), field]),
    ),
    ...(route.dates ?? []).flatMap((field) =>
      badDates.map((value) => [route.path, `${field} = ${JSON.stringify(value)}`, withField(field, value), field]),
    ),
    ...(route.ids ?? []).map((field) => [route.path, `${field} not a UUID`, withField(field, 'shg-1'), field]),
    ...(route.texts ?? []).flatMap((field) =>
      badTexts.map((value) => [route.path, `${field} = ${JSON.stringify(value).slice(0, 12)}`, withField(field, value), field]),
    ),
  ] as [string, string, unknown, string | undefined][];
});

describe('groups API: request validation', () => {
  let service: RunningService;
  let api: GroupsClient;

  beforeAll(async () => {
    service = await startGroups('sangam_test_groups_validation');
    api = groupsClient(service.url);
  });
  afterAll(() => service.stop());

  it.each(cases)('POST %s with %s answers 400 validation_failed', async (path, _, body, field) => {
    const answer = await api.post(path, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('validation_failed');
    if (field) expect(answer.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('answers 400 for a role outside leader, treasurer and member', async () => {
    const answer = await api.post(`/shgs/${id}/members`, { name: 'Savita', role: 'president' });
    expect(answer.status).toBe(400);
    expect(answer.body.details).toEqual([expect.objectContaining({ field: 'role' })]);
  });

  it('answers 400 for a POST without a body', async () => {
    const answer = await api.post('/shgs', undefined);
    expect([answer.status, answer.body.error]).toEqual([400, 'validation_failed']);
  });

  const nextYearButOne = String(new Date().getUTCFullYear() + 2);
  it.each(['05', '0999', '20O5', '20051', '-2005', '1e3', '0x7d5', '02005', '0000', '1979', nextYearButOne, '2005.0', '+2005', ' 2005'])(
    'answers 400 naming the year for fee year %s',
    async (year) => {
      for (const path of [`/networks/${id}/fees/${year}/assessments`, `/networks/${id}/fees/${year}/payments`]) {
        const body = path.endsWith('assessments') ? { assessedOn: '2005-05-01' } : { shgId: id, amount: 100, paidOn: '2005-06-01' };
        const answer = await api.post(path, body);
        expect(answer.status).toBe(400);
        expect(answer.body.details).toEqual([{ field: 'year', message: expect.any(String) }]);
      }
    },
  );

  it('answers unknown routes with 404 in the contract shape', async () => {
    const answer = await api.get('/no-such-route');
    expect(answer).toEqual({ status: 404, body: { error: 'not_found', message: expect.any(String) } });
  });

  it('documents every contract route in the OpenAPI document at /docs', async () => {
    const docs = (await api.get('/docs-json')).body;
    expect(
      Object.keys(docs.paths)
        .filter((path) => path.startsWith('/shgs') || path.startsWith('/networks'))
        .sort(),
    ).toEqual([
      '/networks',
      '/networks/{id}',
      '/networks/{id}/fees/{year}/assessments',
      '/networks/{id}/fees/{year}/payments',
      '/networks/{id}/fund/contributions',
      '/networks/{id}/grants',
      '/networks/{id}/grants/{userId}',
      '/networks/{id}/members',
      '/networks/{id}/members/{shgId}/exit',
      '/shgs',
      '/shgs/{id}',
      '/shgs/{id}/grants',
      '/shgs/{id}/grants/{userId}',
      '/shgs/{id}/members',
      '/shgs/{id}/savings/deposits',
      '/shgs/{id}/savings/withdrawals',
    ]);
    expect(docs.components.schemas.DepositSavingsDto.properties.amount).toMatchObject({ type: 'integer', minimum: 1 });
  });
});
