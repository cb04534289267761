import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { devUserId, tokenFor } from '@sangam/testing';
import { eventually } from '../scripts/demo/sangam-client';
import { startSystem, type RunningSystem } from './system';

/**
 * Hostile requests against every route of the four services' OpenAPI documents, as the admin (so
 * that they get past the access checks). Each route gets a fixed set of known-bad inputs (hostile
 * path ids and real ids of other kinds of object, a NUL, a lone surrogate or a control character
 * in each text field, raw bodies no serializer writes, deep nesting, `__proto__` keys, no body) and
 * a bounded number of generated ones (fast-check, fixed seed): garbage, huge, negative, float and
 * string numbers, bad dates, wrong types, one hostile field in an otherwise valid body, bad
 * content types, duplicated query parameters, bad Idempotency-Keys. Real objects are seeded first,
 * and half of the webhook requests carry a valid signature, so hostile data reaches the deciders,
 * the database and the webhook processor. No answer may be a 5xx, every error must be in the
 * contract's shape, and no accepted webhook may fail unexpectedly when processed; each offending
 * request is printed.
 */
const SEED = 20_251_130;
const GENERATED_PER_ROUTE = 24;

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema: Schema }> };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface HostileRequest {
  method: string;
  /** The path as sent, already percent-encoded (or deliberately badly encoded). */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** A path id that names nothing: the answer must be the plain 404, without the id echoed. */
  badId?: true;
}

const NO_SUCH_RESOURCE = JSON.stringify({ error: 'not_found', message: 'No such route or resource' });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Failure {
  service: string;
  request: HostileRequest;
  status: number;
  answer: string;
  why: string;
}

/** The ids the seeding created, by kind; hostile requests mix them with random and malformed ones. */
interface KnownIds {
  shg: string;
  member: string;
  network: string;
  bank: string;
  bankSecret: string;
  creditLine: string;
  loan: string;
  delivery?: string;
}

const HOSTILE_PATH_IDS = [
  '%00',
  'abc%00',
  '..%2f',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  'a'.repeat(1000),
  'abc',
  '%E0%A4%A',
  '%FF',
  '%ED%A0%80',
  '%',
  '%zz',
  '0',
  '-1',
  'null',
  '%20',
  '00000000-0000-0000-0000-000000000000',
  '{00000000-0000-0000-0000-000000000000}',
  '0c36c6eb-c6d2-443f-8577-e8a7039580fb%00',
  'DROP%20TABLE%20events',
];

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'Kudal\u0000',
  '\ud800',
  'x\udfffy',
  '\u0007\u001b[31m',
  'line\nbreak',
  '\u007f',
  '\u0085',
  '\u202eevil',
  "'; DROP TABLE events; --",
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  'x'.repeat(201),
  'x'.repeat(20_000),
  '😀'.repeat(150),
  'NaN',
  '1e309',
  '२०२५-०४-०१',
];

const HOSTILE_NUMBERS = [
  0,
  -1,
  -0,
  0.5,
  1.5,
  -1e12,
  1e12 + 1,
  1e21,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -1e308,
  2 ** 31,
  2 ** 63,
];

const HOSTILE_DATES = [
  '2025-02-30',
  '2025-13-01',
  '0000-00-00',
  '0000-01-01',
  '0001-01-01',
  '9999-12-31',
  '10000-01-01',
  '+275760-09-13',
  '-000001-01-01',
  '2025-1-1',
  '2025-04-01T00:00:00Z',
  '2025/04/01',
  '1900-02-29',
  '2024-02-29',
  'today',
];

const WRONG_TYPES: unknown[] = [null, true, false, [], {}, [1, 2], { a: 1 }, '', 'x', 1, -1];

/** Raw bodies no serializer would write. */
const RAW_BODIES = [
  '{',
  '{"amount": 1e999999}',
  '{"amount": 123456789012345678901234567890}',
  '{"amount": -0.0000000000000000000001}',
  'null',
  '[]',
  '"x"',
  '0',
  '\u0000',
  '{"a":1,"a":2}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '\ufeff{}',
  '{"name":"\\u0000"}',
  '{"name":"\\ud800"}',
  '{"na\\u0000me":"x"}',
  '['.repeat(30_000) + ']'.repeat(30_000),
  `{"type":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
];

const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

const resolve = (document: OpenApiDocument, schema: Schema | undefined): Schema => {
  if (!schema) return {};
  if (schema.$ref) return resolve(document, document.components?.schemas?.[schema.$ref.split('/').pop()!]);
  if (schema.allOf?.length === 1) return resolve(document, schema.allOf[0]);
  return schema;
};

/** A valid-looking value for a field: real ids chosen by the field's name, in-range numbers, real dates. */
function exampleFor(document: OpenApiDocument, raw: Schema | undefined, name: string, ids: KnownIds): unknown {
  const schema = resolve(document, raw);
  if (schema.enum?.length) return schema.enum[0];
  if (schema.type === 'object' || schema.properties) {
    return Object.fromEntries(
      Object.entries(schema.properties ?? {})
        .filter(([field]) => (schema.required ?? []).includes(field))
        .map(([field, property]) => [field, exampleFor(document, property, field, ids)]),
    );
  }
  if (schema.type === 'array') return [exampleFor(document, schema.items, name, ids)];
  if (schema.type === 'integer' || schema.type === 'number') return Math.max(schema.minimum ?? 1, Math.min(schema.maximum ?? 1000, 1000));
  if (schema.type === 'boolean') return true;
  if (schema.format === 'date') return '2025-04-01';
  if (schema.format === 'uuid') return idFor(name, ids);
  return 'Kudal';
}

function idFor(name: string, ids: KnownIds): string {
  if (/member/i.test(name)) return ids.member;
  if (/network/i.test(name)) return ids.network;
  if (/creditLine/i.test(name)) return ids.creditLine;
  if (/bank/i.test(name)) return ids.bank;
  return ids.shg;
}

/** Paths (dotted) of the string fields of an example body. */
function stringLeaves(value: unknown, path: string[] = []): string[][] {
  if (typeof value === 'string') return [path];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, child]) => stringLeaves(child, [...path, key]));
  return [];
}

function withLeaf(value: unknown, path: string[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const copy = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  (copy as Record<string, unknown>)[path[0]] = withLeaf((value as Record<string, unknown>)[path[0]], path.slice(1), leaf);
  return copy;
}

/** A field's value: usually valid, often hostile for its type, sometimes of another type altogether. */
function fieldArbitrary(document: OpenApiDocument, raw: Schema | undefined, name: string, ids: KnownIds, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(document, raw);
  const example = fc.constant(exampleFor(document, schema, name, ids));
  let hostile: fc.Arbitrary<unknown>;
  if (schema.type === 'object' || schema.properties) {
    const fields = Object.entries(schema.properties ?? {});
    hostile =
      depth > 3
        ? fc.constant({})
        : fc.record(
            Object.fromEntries(fields.map(([field, property]) => [field, fieldArbitrary(document, property, field, ids, depth + 1)])),
            { requiredKeys: [] },
          );
  } else if (schema.type === 'integer' || schema.type === 'number') {
    hostile = fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.integer(), fc.double(), fc.integer().map(String));
  } else if (schema.format === 'date') {
    hostile = fc.oneof(
      fc.constantFrom(...HOSTILE_DATES),
      fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
    );
  } else if (schema.format === 'uuid') {
    hostile = fc.oneof(
      fc.uuid(),
      fc.uuid().map((id) => id.toUpperCase()),
      fc.constantFrom('abc', '\u0000', '0c36c6eb-c6d2-443f-8577-e8a7039580fb\u0000', 'a'.repeat(1000)),
    );
  } else {
    hostile = fc.oneof(
      fc.constantFrom(...HOSTILE_STRINGS),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
    );
  }
  return fc.oneof(
    { weight: 3, arbitrary: example },
    { weight: 2, arbitrary: hostile },
    { weight: 1, arbitrary: fc.constantFrom(...WRONG_TYPES) },
  );
}

/** Paths of every leaf (non-object value) of an example body. */
function leaves(value: unknown, path: string[] = []): string[][] {
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, child]) => leaves(child, [...path, key]));
  return [path];
}

/** A hostile value for a leaf, by what its valid value looks like. */
function hostileLike(valid: unknown): fc.Arbitrary<unknown> {
  const wrong = fc.constantFrom(...WRONG_TYPES);
  if (typeof valid === 'number')
    return fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.integer(), fc.double(), fc.integer().map(String), wrong);
  if (typeof valid === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(valid)) return fc.oneof(fc.constantFrom(...HOSTILE_DATES), wrong);
  if (typeof valid === 'string' && /^[0-9a-f-]{36}$/.test(valid))
    return fc.oneof(fc.uuid(), fc.constantFrom('abc', '\u0000', valid.toUpperCase(), `${valid}\u0000`, 'a'.repeat(1000)), wrong);
  return fc.oneof(
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    wrong,
  );
}

/** The valid example with exactly one field made hostile, or left out: requests that get past validation but for that field. */
function oneFieldHostile(example: unknown): fc.Arbitrary<unknown> {
  const paths = leaves(example).filter((path) => path.length > 0);
  if (paths.length === 0) return fc.constant(example);
  return fc.constantFrom(...paths).chain((path) => {
    const valid = path.reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], example);
    return fc.oneof(hostileLike(valid), fc.constant(undefined)).map((value) => withLeaf(example, path, value));
  });
}

/** Inserts raw `"key": value` text first in a JSON object's text. */
const withRawKey = (json: string, key: string, value: string) =>
  json.startsWith('{') && json !== '{}' ? `{"${key}":${value},${json.slice(1)}` : `{"${key}":${value}}`;

function bodyArbitrary(
  document: OpenApiDocument,
  schema: Schema | undefined,
  ids: KnownIds,
): fc.Arbitrary<string | Uint8Array | undefined> {
  const shaped = schema ? fieldArbitrary(document, schema, 'body', ids).map((value) => JSON.stringify(value)) : fc.constant('{}');
  const nearlyValid = schema
    ? oneFieldHostile(exampleFor(document, schema, 'body', ids)).map((value) => JSON.stringify(value))
    : fc.constant('{}');
  return fc.oneof(
    { weight: 4, arbitrary: shaped },
    { weight: 4, arbitrary: nearlyValid },
    {
      weight: 1,
      arbitrary: fc
        .tuple(shaped, fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra'))
        .map(([json, key]) => withRawKey(json ?? '{}', key, '{"polluted":true}')),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 33, max: 20_000 })
        .chain((depth) => fc.constantFrom(deepObject(depth), deepArray(depth), withRawKey('{}', 'name', deepArray(depth)))),
    },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc.constant(new Uint8Array([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x80, 0x22, 0x7d])),
    },
  );
}

const pathIdArbitrary = (ids: KnownIds): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(...Object.values(ids).filter((id): id is string => typeof id === 'string' && !id.startsWith('whsec_'))),
    },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_PATH_IDS) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }).map(encodeURIComponent) },
  );

const yearArbitrary = fc.oneof(
  fc.integer({ min: -10_000, max: 100_000 }).map(String),
  fc.constantFrom('2025', '0000', '02025', '2025.5', '1e3', '%00', '%E0%A4%A', '9999', '1000', 'a'.repeat(1000)),
);

function queryValueArbitrary(document: OpenApiDocument, parameter: Parameter, ids: KnownIds): fc.Arbitrary<string | undefined> {
  const schema = resolve(document, parameter.schema);
  const valid = schema.enum?.length
    ? fc.constantFrom(...schema.enum.map(String))
    : schema.format === 'date'
      ? fc.constant('2025-04-01')
      : fc.constant(String(exampleFor(document, schema, parameter.name, ids)));
  const hostile = fc.oneof(
    fc.constantFrom(...HOSTILE_STRINGS, ...HOSTILE_DATES, ...HOSTILE_NUMBERS.map(String)),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
  );
  return fc.oneof({ weight: 2, arbitrary: valid }, { weight: 3, arbitrary: hostile }, { weight: 1, arbitrary: fc.constant(undefined) });
}

/** Encodes a query value, keeping strings that cannot be encoded (lone surrogates) as raw hostile bytes. */
const encodeQuery = (value: string): string => {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
};

interface Route {
  service: string;
  method: string;
  template: string;
  operation: Operation;
}

function requestArbitrary(document: OpenApiDocument, route: Route, ids: KnownIds): fc.Arbitrary<HostileRequest> {
  const parameters = route.operation.parameters ?? [];
  const pathParameters = parameters.filter((p) => p.in === 'path');
  const queryParameters = parameters.filter((p) => p.in === 'query');
  const bodySchema = route.operation.requestBody?.content?.['application/json']?.schema;
  return fc
    .record({
      path: fc.record(Object.fromEntries(pathParameters.map((p) => [p.name, p.name === 'year' ? yearArbitrary : pathIdArbitrary(ids)]))),
      query: fc.record(Object.fromEntries(queryParameters.map((p) => [p.name, queryValueArbitrary(document, p, ids)]))),
      duplicateQuery: fc.boolean(),
      body: route.method === 'get' ? fc.constant(undefined) : bodyArbitrary(document, bodySchema, ids),
      contentType: fc.constantFrom(
        'application/json',
        'application/json',
        'application/json',
        'application/json; charset=utf-16',
        'text/plain',
        'application/x-www-form-urlencoded',
        undefined,
      ),
      idempotencyKey: fc.option(fc.oneof(fc.constantFrom('k'.repeat(256), ' ', 'fuzz-key'), fc.uuid()), { freq: 3 }),
      correlationId: fc.option(fc.constantFrom('x'.repeat(300), '%00', 'fuzz'), { freq: 4 }),
      sign: fc.boolean(),
      webhookTimestamp: fc.constantFrom('now', '0', '-1', '99999999999999999999', 'abc', '1.5'),
    })
    .map((generated) => {
      const path = route.template.replace(/\{(\w+)\}/g, (_, name: string) => (generated.path as Record<string, string>)[name]);
      const query = Object.entries(generated.query as Record<string, string | undefined>)
        .filter(([, value]) => value !== undefined)
        .flatMap(([name, value]) =>
          generated.duplicateQuery ? [`${name}=${encodeQuery(value!)}`, `${name}=x`] : [`${name}=${encodeQuery(value!)}`],
        );
      const request: HostileRequest = {
        method: route.method.toUpperCase(),
        path: query.length ? `${path}?${query.join('&')}` : path,
        headers: {},
        body: generated.body,
      };
      if (generated.contentType && generated.body !== undefined) request.headers['content-type'] = generated.contentType;
      if (generated.idempotencyKey) request.headers['idempotency-key'] = generated.idempotencyKey;
      if (generated.correlationId) request.headers['x-correlation-id'] = generated.correlationId;
      if (route.template.startsWith('/webhooks/banks/')) signWebhook(request, ids, generated.sign, generated.webhookTimestamp);
      return request;
    });
}

/** Half the webhook requests are signed with the seeded bank's real secret, so hostile payloads get past the signature. */
function signWebhook(request: HostileRequest, ids: KnownIds, sign: boolean, timestamp: string): void {
  const webhookId = `msg_${randomUUID()}`;
  const now = new Date();
  const seconds = timestamp === 'now' ? String(Math.floor(now.getTime() / 1000)) : timestamp;
  request.headers['webhook-id'] = webhookId;
  request.headers['webhook-timestamp'] = seconds;
  const body =
    typeof request.body === 'string' ? request.body : request.body === undefined ? '' : Buffer.from(request.body).toString('latin1');
  request.headers['webhook-signature'] =
    sign && timestamp === 'now' && typeof request.body !== 'object'
      ? new Webhook(ids.bankSecret).sign(webhookId, now, body)
      : 'v1,' + Buffer.from('forged').toString('base64');
}

/** Fixed inputs every route gets: hostile and cross-kind path ids, then each text field with a NUL, a lone surrogate or a control character, raw bodies, deep nesting, `__proto__`, no body. */
function fixedRequests(document: OpenApiDocument, route: Route, ids: KnownIds): HostileRequest[] {
  const parameters = route.operation.parameters ?? [];
  const validPath = (override?: { name: string; value: string }) =>
    route.template.replace(/\{(\w+)\}/g, (_, name: string) =>
      override?.name === name ? override.value : name === 'year' ? '2025' : idFor(name === 'id' ? route.template.split('/')[1] : name, ids),
    );
  const bodySchema = route.operation.requestBody?.content?.['application/json']?.schema;
  const example = bodySchema ? exampleFor(document, bodySchema, 'body', ids) : route.method === 'get' ? undefined : {};
  const json = { 'content-type': 'application/json' };
  const requests: HostileRequest[] = [];
  const send = (path: string, body: unknown, raw?: string) =>
    requests.push({
      method: route.method.toUpperCase(),
      path,
      headers: body === undefined && raw === undefined ? {} : { ...json },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
  const realIds = Object.values(ids).filter((id): id is string => typeof id === 'string' && !id.startsWith('whsec_'));
  for (const parameter of parameters.filter((p) => p.in === 'path' && p.name !== 'year')) {
    // Hostile ids, and real ids of every other kind of object (a loan's id where a bank's is expected).
    for (const id of [...HOSTILE_PATH_IDS, ...realIds]) {
      send(validPath({ name: parameter.name, value: id }), example);
      // A user id is the identity provider's subject, not a UUID of ours: `abc` may name a user.
      if (parameter.name !== 'userId' && !UUID.test(id)) requests[requests.length - 1].badId = true;
    }
  }
  if (route.method !== 'get') {
    for (const leaf of stringLeaves(example)) {
      for (const bad of ['Kudal\u0000', '\ud800', 'a\u0001b']) send(validPath(), withLeaf(example, leaf, bad));
    }
    send(validPath(), undefined);
    for (const raw of RAW_BODIES) send(validPath(), undefined, raw);
    send(validPath(), undefined, deepObject(5000));
    send(validPath(), undefined, withRawKey(JSON.stringify(example), '__proto__', '{"polluted":true}'));
  }
  for (const request of requests) {
    if (route.template.startsWith('/webhooks/banks/')) signWebhook(request, ids, true, 'now');
  }
  return requests;
}

describe('fuzzing every route with hostile requests', () => {
  let system: RunningSystem;
  let token: string;
  let ids: KnownIds;

  const call = async (base: string, request: HostileRequest) => {
    const response = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: { authorization: `Bearer ${token}`, ...request.headers },
      body: request.body,
    });
    return { status: response.status, text: await response.text() };
  };

  const post = async (base: string, path: string, body: unknown, as?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(as ? { authorization: `Bearer ${as}` } : {}) };
    const answer = await call(base, { method: 'POST', path, headers, body: JSON.stringify(body) });
    if (answer.status >= 300) throw new Error(`seeding POST ${path} answered ${answer.status}: ${answer.text}`);
    return JSON.parse(answer.text);
  };

  /** Real objects, so that hostile bodies also reach the deciders and the database, not only validation. */
  async function seed(): Promise<KnownIds> {
    const { groups, lending, bankLinkage } = system.urls;
    const shg = (await post(groups, '/shgs', { name: 'Fuzz SHG', village: 'Kudal', formedOn: '2025-01-01' })).id;
    const member = (await post(groups, `/shgs/${shg}/members`, { name: 'Savita Naik', role: 'leader' })).id;
    await post(groups, `/shgs/${shg}/savings/deposits`, { memberId: member, amount: 500_000, depositedOn: '2025-02-01' });
    const network = (
      await post(groups, '/networks', { name: 'Fuzz Federation', cluster: 'Kudal', formedOn: '2025-01-01', annualFee: 30_000 })
    ).id;
    await post(groups, `/networks/${network}/members`, { shgId: shg, joinedOn: '2025-02-01' });
    await post(groups, `/networks/${network}/fund/contributions`, { shgId: shg, amount: 100_000, contributedOn: '2025-03-01' });
    const bank = await post(bankLinkage, '/banks', { name: 'Fuzz Bank', branch: 'Kudal', maxSavingsMultiple: 0 });
    // Both wait for facts to cross Kafka (bank-linkage learns of the SHG, lending of the network's member and grant).
    const [creditLine, loan] = await Promise.all([
      eventually(
        async () =>
          (
            await post(bankLinkage, '/credit-lines', {
              bankId: bank.id,
              borrower: { type: 'shg', id: shg },
              limit: 1_000_000,
              annualInterestRateBps: 1200,
              sanctionedOn: '2025-03-01',
              expiresOn: '2027-03-01',
            })
          ).id as string,
        'the credit line',
        20_000,
      ),
      (async () => {
        // Four eyes: a field officer applies, the admin approves and disburses.
        await post(groups, `/networks/${network}/grants`, { userId: devUserId('field1') });
        const fieldOfficer = await tokenFor('field1');
        const application = {
          lender: { type: 'network', id: network },
          borrower: { type: 'shg', id: shg },
          principal: 50_000,
          annualInterestRateBps: 1200,
          termMonths: 12,
          interestMethod: 'flat',
          purpose: 'goat farming',
          funding: { source: 'common-fund' },
        };
        const id = await eventually(
          async () => (await post(lending, '/loans', application, fieldOfficer)).id as string,
          'the loan application',
          20_000,
        );
        await post(lending, `/loans/${id}/approval`, { approvedOn: '2025-04-01' });
        await post(lending, `/loans/${id}/disbursement`, { disbursedOn: '2025-04-02' });
        return id;
      })(),
    ]);
    const known: KnownIds = { shg, member, network, bank: bank.id, bankSecret: bank.webhookSecret, creditLine, loan };
    const webhookId = `msg_${randomUUID()}`;
    const body = JSON.stringify({
      type: 'credit_line.interest.charged',
      data: { creditLineId: randomUUID(), amount: 100, valueDate: '2025-04-01', bankReference: 'UTR-FUZZ' },
    });
    const now = new Date();
    const delivery = await call(bankLinkage, {
      method: 'POST',
      path: `/webhooks/banks/${bank.id}`,
      headers: {
        'content-type': 'application/json',
        'webhook-id': webhookId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': new Webhook(bank.webhookSecret).sign(webhookId, now, body),
      },
      body,
    });
    if (delivery.status === 202) known.delivery = JSON.parse(delivery.text).id;
    return known;
  }

  beforeAll(async () => {
    system = await startSystem('sangam_test_fuzz');
    token = await tokenFor('admin');
    ids = await seed();
  });
  afterAll(() => system?.stop());

  it('answers no hostile request with a 5xx, and every error in the contract shape', async () => {
    const failures: Failure[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    const services = Object.entries(system.urls) as [string, string][];
    for (const [service, base] of services) {
      const answer = await fetch(`${base}/docs-json`, { headers: { authorization: `Bearer ${token}` } });
      expect(answer.status).toBe(200);
      const document = (await answer.json()) as OpenApiDocument;
      const routes: Route[] = Object.entries(document.paths).flatMap(([template, operations]) =>
        Object.entries(operations).map(([method, operation]) => ({ service, method, template, operation })),
      );
      expect(routes.length).toBeGreaterThan(0);
      for (const [index, route] of routes.entries()) {
        const generated = fc.sample(requestArbitrary(document, route, ids), {
          seed: SEED + index * 7919 + service.length,
          numRuns: GENERATED_PER_ROUTE,
        });
        for (const request of [...fixedRequests(document, route, ids), ...generated]) {
          sent += 1;
          const { status, text } = await call(base, request);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          const why =
            problemWith(status, text) ??
            (request.badId && (status !== 404 || text !== NO_SUCH_RESOURCE) ? 'a path id that names nothing is not a plain 404' : null);
          if (why) failures.push({ service, request, status, answer: text.slice(0, 300), why });
        }
      }
    }
    const fiveHundreds = failures.filter((failure) => failure.status >= 500).length;
    console.log(
      `fuzz: ${sent} hostile requests sent, ${fiveHundreds} answered 5xx, ${failures.length - fiveHundreds} other contract violations; answers by status: ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`,
    );
    // A signed webhook is answered before it is processed: an unexpected error while processing it is a 5xx in disguise.
    const unexpected = await eventually(
      async () => {
        const deliveries = JSON.parse(
          (await call(system.urls.bankLinkage, { method: 'GET', path: '/webhooks/deliveries?limit=1000', headers: {} })).text,
        ) as { status: string; error: { code: string } | null; body: string }[];
        if (deliveries.some((delivery) => delivery.status === 'pending')) throw new Error('deliveries still pending');
        return deliveries.filter((delivery) => delivery.error?.code === 'processing_error');
      },
      'the webhook deliveries to be processed',
      15_000,
    );
    for (const delivery of unexpected) {
      failures.push({
        service: 'bankLinkage',
        request: { method: 'POST', path: `/webhooks/banks/${ids.bank}`, headers: {}, body: delivery.body },
        status: 202,
        answer: JSON.stringify(delivery.error),
        why: 'processing the accepted delivery failed unexpectedly',
      });
    }
    if (failures.length > 0)
      throw new Error(`${failures.length} of ${sent} hostile requests were answered badly:\n${failures.map(explain).join('\n')}`);
    // Some 3,000 requests one after another: on a busy 2-core machine they take more than the default two minutes.
  }, 300_000);
});

/** A 5xx, or an error whose body is not `{ error, message, details? }`. */
function problemWith(status: number, text: string): string | null {
  if (status >= 500) return 'server error';
  if (status < 400) return null;
  try {
    const body = JSON.parse(text);
    if (typeof body.error !== 'string' || typeof body.message !== 'string') return 'error body without error and message';
    if (Object.keys(body).some((key) => !['error', 'message', 'details'].includes(key))) return 'error body with extra fields';
    if (/\bat \S+ \(|node_modules|QueryFailedError|typeorm/i.test(text)) return 'error body with internals';
    return null;
  } catch {
    return 'error body is not JSON';
  }
}

function explain(failure: Failure): string {
  const { request } = failure;
  const body =
    request.body === undefined
      ? ''
      : typeof request.body === 'string'
        ? request.body
        : `<bytes ${Buffer.from(request.body).toString('hex')}>`;
  const shownBody = body.length > 300 ? `${JSON.stringify(body.slice(0, 300))}... (${body.length} chars)` : JSON.stringify(body);
  const path = request.path.length > 200 ? `${request.path.slice(0, 200)}... (${request.path.length} chars)` : request.path;
  return `  [${failure.why}] ${failure.service} ${request.method} ${path} headers=${JSON.stringify(request.headers)} body=${shownBody} -> ${failure.status} ${failure.answer}`;
}
