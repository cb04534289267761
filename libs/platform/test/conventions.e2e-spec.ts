import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Body, Controller, Get, HttpCode, Module, Param, Post, Req, type DynamicModule } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { DomainError } from '@sangam/domain';
import {
  IsBusinessDate,
  IsPaise,
  IsText,
  OwnTransactions,
  PlatformModule,
  Policy,
  SkipIdempotencyKey,
  type ServiceConfig,
} from '@sangam/platform';
import { startService, tokenFor, type RunningService } from '@sangam/testing';

class RecordTallyDto {
  @IsPaise() amount: number;
  @IsBusinessDate() countedOn: string;
  @IsString() @MaxLength(20) note: string;
}

class NameTallyDto {
  @IsText('Kudal') name: string;
}

const recorded: RecordTallyDto[] = [];

@Controller('tallies')
@Policy(['field-officer'])
class TallyController {
  @Post()
  record(@Body() body: RecordTallyDto) {
    if (body.note === 'refuse') throw new DomainError('tally_refused', 'This tally is refused');
    recorded.push(body);
    return { id: randomUUID() };
  }

  @Post('own-scheme')
  @SkipIdempotencyKey()
  ownScheme(@Body() body: RecordTallyDto, @Req() request: object) {
    recorded.push(body);
    return { id: randomUUID(), inRequestUnitOfWork: 'unitOfWork' in request };
  }

  @Post('own-transactions')
  @OwnTransactions()
  ownTransactions(@Body() body: RecordTallyDto, @Req() request: object) {
    recorded.push(body);
    return { id: randomUUID(), inRequestUnitOfWork: 'unitOfWork' in request };
  }

  @Post('later')
  @HttpCode(202)
  later(@Body() body: RecordTallyDto) {
    recorded.push(body);
    return { accepted: true };
  }

  @Post('names')
  name(@Body() body: NameTallyDto) {
    return { name: body.name };
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return { id };
  }

  @Post(':tallyId/corrections')
  correct(@Param('tallyId') tallyId: string, @Body() body: RecordTallyDto) {
    recorded.push(body);
    return { id: tallyId };
  }
}

@Module({ controllers: [TallyController] })
class TallyModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return { module: TallyModule, imports: [PlatformModule.forService({ config, migrations: [] })] };
  }
}

describe('HTTP conventions shared by every service', () => {
  let service: RunningService;
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('admin')}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as any }));
  const valid = { amount: 30000, countedOn: '2025-04-01', note: 'fees' };
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${await tokenFor('admin')}`, ...headers } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
  };

  beforeAll(async () => {
    service = await startService('reporting', TallyModule.forRoot, { databasePrefix: 'sangam_test_conventions' });
  });
  afterAll(() => service.stop());

  it('replays the first answer to a retried Idempotency-Key and records nothing new', async () => {
    const key = randomUUID();
    const first = await post('/tallies', valid, { 'Idempotency-Key': key });
    const count = recorded.length;
    const retry = await post('/tallies', { note: 'fees', countedOn: '2025-04-01', amount: 30000 }, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(retry).toEqual(first);
    expect(recorded.length).toBe(count);
  });

  it('makes retries racing the first request with its key wait for it, then replay its answer', async () => {
    const key = randomUUID();
    const count = recorded.length;
    const answers = await Promise.all(Array.from({ length: 5 }, () => post('/tallies', valid, { 'Idempotency-Key': key })));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(recorded.length).toBe(count + 1);
  });

  it('answers 422 idempotency_key_reused to the same key with another body', async () => {
    const key = randomUUID();
    await post('/tallies', valid, { 'Idempotency-Key': key });
    const reused = await post('/tallies', { ...valid, amount: 30001 }, { 'Idempotency-Key': key });
    expect(reused.status).toBe(422);
    expect(reused.body.error).toBe('idempotency_key_reused');
  });

  it('replays a refusal and a 202 with their own status', async () => {
    const refusalKey = randomUUID();
    const refused = await post('/tallies', { ...valid, note: 'refuse' }, { 'Idempotency-Key': refusalKey });
    expect(refused).toEqual({ status: 422, body: { error: 'tally_refused', message: 'This tally is refused' } });
    expect(await post('/tallies', { ...valid, note: 'refuse' }, { 'Idempotency-Key': refusalKey })).toEqual(refused);

    const acceptedKey = randomUUID();
    const accepted = await post('/tallies/later', valid, { 'Idempotency-Key': acceptedKey });
    expect(accepted.status).toBe(202);
    expect(await post('/tallies/later', valid, { 'Idempotency-Key': acceptedKey })).toEqual(accepted);
  });

  it('leaves routes with their own de-duplication scheme alone', async () => {
    const key = randomUUID();
    const first = await post('/tallies/own-scheme', valid, { 'Idempotency-Key': key });
    const second = await post('/tallies/own-scheme', valid, { 'Idempotency-Key': key });
    expect(second.body.id).not.toBe(first.body.id);
  });

  it('opens no request unit of work for a route that commits in transactions of its own, and takes no Idempotency-Key there', async () => {
    const key = randomUUID();
    const first = await post('/tallies/own-transactions', valid, { 'Idempotency-Key': key });
    const second = await post('/tallies/own-transactions', valid, { 'Idempotency-Key': key });
    expect(first).toMatchObject({ status: 201, body: { inRequestUnitOfWork: false } });
    expect(second.body.id).not.toBe(first.body.id);
    expect((await post('/tallies/own-scheme', valid)).body.inRequestUnitOfWork).toBe(true);
  });

  it('forgets keys after 24 hours: a reused old key runs again, and expired keys are purged', async () => {
    const dataSource = service.app.get(DataSource);
    const old = randomUUID();
    const forgotten = randomUUID();
    await post('/tallies', valid, { 'Idempotency-Key': old });
    await dataSource.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`, [old]);
    await dataSource.query(
      `INSERT INTO idempotency_keys (key, request_hash, status, body, created_at) VALUES ($1, 'x', 201, '{}', now() - interval '25 hours')`,
      [forgotten],
    );
    const count = recorded.length;
    const again = await post('/tallies', { ...valid, amount: 1 }, { 'Idempotency-Key': old });
    expect(again.status).toBe(201);
    expect(recorded.length).toBe(count + 1);
    expect(await dataSource.query(`SELECT key FROM idempotency_keys WHERE key = $1`, [forgotten])).toEqual([]);
  });

  it('rejects an Idempotency-Key longer than 255 characters', async () => {
    const answer = await post('/tallies', valid, { 'Idempotency-Key': 'k'.repeat(256) });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('validation_failed');
  });

  it.each([
    ['a float amount', { ...valid, amount: 300.5 }, 'amount'],
    ['an amount as a string', { ...valid, amount: '30000' }, 'amount'],
    ['a negative amount', { ...valid, amount: -1 }, 'amount'],
    ['an amount above the range', { ...valid, amount: 1_000_000_000_001 }, 'amount'],
    ['an impossible date', { ...valid, countedOn: '2025-02-30' }, 'countedOn'],
    ['an unknown field', { ...valid, extra: true }, 'extra'],
  ])('answers 400 validation_failed naming the field for %s', async (_, body, field) => {
    const answer = await post('/tallies', body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('validation_failed');
    expect(answer.body.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('answers malformed JSON, an oversized body and an unknown route in the contract shape', async () => {
    expect(await post('/tallies', '{"amount": 30')).toEqual({
      status: 400,
      body: { error: 'validation_failed', message: 'The request body is not valid JSON' },
    });
    const huge = await post('/tallies', { ...valid, note: 'x'.repeat(70 * 1024) });
    expect(huge).toEqual({ status: 413, body: { error: 'payload_too_large', message: 'The request body is too large' } });
    // Refused while its body was read, before any route matched: still counted.
    expect(await fetch(`${service.url}/metrics`).then((r) => r.text())).toMatch(
      /http_requests_total\{method="POST",route="unmatched",status="413"\} [1-9]/,
    );
    const missing = await fetch(`${service.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found', message: 'No such route or resource' });
  });

  it('serves health with database and Kafka up, Prometheus metrics and the OpenAPI document', async () => {
    const health: any = await fetch(`${service.url}/health`).then((r) => r.json());
    expect(health.info).toEqual({ database: expect.objectContaining({ status: 'up' }), kafka: expect.objectContaining({ status: 'up' }) });
    const metrics = await fetch(`${service.url}/metrics`).then((r) => r.text());
    expect(metrics).toContain('http_requests_total{method="POST",route="/tallies"');
    const docs: any = await fetch(`${service.url}/docs-json`).then((r) => r.json());
    expect(Object.keys(docs.paths)).toContain('/tallies');
  });
  describe('hardening at the framework edge, for every route', () => {
    it('sends the standard security headers and no X-Powered-By, on answers and errors alike', async () => {
      for (const answer of [await get(`/tallies/${randomUUID()}`), await get('/nowhere')]) {
        expect(answer.headers.get('x-powered-by')).toBeNull();
        expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
        expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
        expect(answer.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
        expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
        expect(answer.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      }
    });

    it("answers the web console's preflight and calls (CORS), and no other origin's", async () => {
      const preflight = (origin: string) =>
        fetch(`${service.url}/tallies`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization,content-type,idempotency-key',
          },
        });
      const fromConsole = await preflight(service.config.corsOrigins[0]);
      expect(fromConsole.status).toBe(204);
      expect(fromConsole.headers.get('access-control-allow-origin')).toBe(service.config.corsOrigins[0]);
      expect(fromConsole.headers.get('access-control-allow-headers')).toBe('Authorization,Content-Type,Idempotency-Key');
      expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
      const answer = await get(`/tallies/${randomUUID()}`, { origin: service.config.corsOrigins[0] });
      expect(answer.headers.get('access-control-allow-origin')).toBe(service.config.corsOrigins[0]);
    });

    it('serves /docs and /docs-json only when API docs are on (off by default in production)', async () => {
      expect((await fetch(`${service.url}/docs`)).status).toBe(200);
      const quiet = await startService('reporting', TallyModule.forRoot, {
        databasePrefix: 'sangam_test_conventions',
        config: { apiDocs: false },
      });
      try {
        for (const path of ['/docs', '/docs-json']) {
          const answer = await fetch(`${quiet.url}${path}`);
          expect(answer.status).toBe(404);
          expect(await answer.json()).toEqual({ error: 'not_found', message: 'No such route or resource' });
        }
      } finally {
        await quiet.stop();
      }
    });

    it.each([
      ['a NUL', { ...valid, note: 'fe\u0000es' }, 'note'],
      ['a lone high surrogate', { ...valid, note: 'fees\ud800' }, 'note'],
      ['a lone low surrogate', { ...valid, note: '\udc00fees' }, 'note'],
      ['a bell (C0 control)', { ...valid, note: 'fees\u0007' }, 'note'],
      ['DEL', { ...valid, note: 'fees\u007f' }, 'note'],
      ['a C1 control', { ...valid, note: 'fees\u009b' }, 'note'],
      ['a NUL deep in an unknown field', { ...valid, extra: { deep: ['ok', 'x\u0000'] } }, 'extra.deep.1'],
      ['a NUL in a field name', { ...valid, ['no\u0000te']: 'x' }, 'no\ufffdte'],
    ])('answers 400 validation_failed naming the field for %s in a body', async (_, body, field) => {
      const count = recorded.length;
      const answer = await post('/tallies', body);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        error: 'validation_failed',
        message: 'The request is invalid',
        details: [{ field, message: expect.stringContaining('control characters') }],
      });
      expect(recorded.length).toBe(count);
    });

    it('keeps single-line fields (names, places) to one line, and lets other text use tab and line breaks', async () => {
      for (const name of ['Kudal\tTaluka', 'Kudal\nTaluka', 'Kudal\r']) {
        expect(await post('/tallies/names', { name })).toEqual({
          status: 400,
          body: {
            error: 'validation_failed',
            message: 'The request is invalid',
            details: [{ field: 'name', message: 'name must be one line without control characters' }],
          },
        });
      }
      expect(await post('/tallies/names', { name: 'सावित्री नाईक 👩🏽‍🌾' })).toEqual({ status: 201, body: { name: 'सावित्री नाईक 👩🏽‍🌾' } });
      expect((await post('/tallies', { ...valid, note: 'two\nlines\tand tab' })).status).toBe(201);
    });

    it('answers 400 validation_failed to a body nested deeper than 32 levels, however deep', async () => {
      for (const depth of [33, 5000, 30_000]) {
        const body = `{"amount":30000,"countedOn":"2025-04-01","note":"fees","extra":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
        const answer = await post('/tallies', body);
        expect(answer.status).toBe(400);
        expect(answer.body.error).toBe('validation_failed');
        expect(answer.body.details).toEqual([
          { field: expect.stringMatching(/^extra(\.0)+$/), message: expect.stringContaining('nested more than 32 levels deep') },
        ]);
      }
      const object = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
      expect((await post('/tallies', object)).body.details[0].message).toContain('nested more than 32 levels deep');
      const atTheLimit = await post(
        '/tallies',
        `{"amount":30000,"countedOn":"2025-04-01","note":"fees","extra":${'['.repeat(31)}${']'.repeat(31)}}`,
      );
      expect(atTheLimit.body.details).toEqual([{ field: 'extra', message: 'unknown field extra' }]);
    });

    it.each(['__proto__', 'constructor', 'prototype'])('refuses a %s key anywhere in a body like any unknown field', async (key) => {
      const count = recorded.length;
      const atTop = await post('/tallies', `{"${key}":{"amount":1},"amount":30000,"countedOn":"2025-04-01","note":"fees"}`);
      expect(atTop).toEqual({
        status: 400,
        body: { error: 'validation_failed', message: 'The request is invalid', details: [{ field: key, message: `unknown field ${key}` }] },
      });
      const nested = await post(
        '/tallies',
        `{"amount":30000,"countedOn":"2025-04-01","note":"fees","meta":[{"${key}":{"polluted":true}}]}`,
      );
      expect(nested.status).toBe(400);
      expect(nested.body.details).toEqual([{ field: `meta.0.${key}`, message: `unknown field ${key}` }]);
      expect(recorded.length).toBe(count);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it.each([
      ['a NUL', '%00'],
      ['a UUID with a NUL after it', `${randomUUID()}%00`],
      ['a word', 'abc'],
      ['1000 characters', 'a'.repeat(1000)],
      ['a path traversal', '..%2f..%2fetc%2fpasswd'],
      ['malformed percent-encoding', '%E0%A4%A'],
      ['an encoded lone surrogate', '%ED%A0%80'],
    ])('answers 404 not_found without echoing it to a path id that is %s', async (_, id) => {
      const answer = await get(`/tallies/${id}`);
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ error: 'not_found', message: 'No such route or resource' });
    });

    it('checks ids in any parameter named like one before the body or the Idempotency-Key are looked at', async () => {
      const key = randomUUID();
      const count = recorded.length;
      const answer = await post('/tallies/not-a-uuid/corrections', { amount: 'garbage' }, { 'Idempotency-Key': key });
      expect(answer).toEqual({ status: 404, body: { error: 'not_found', message: 'No such route or resource' } });
      expect(await service.app.get(DataSource).query(`SELECT key FROM idempotency_keys WHERE key LIKE '%' || $1`, [key])).toEqual([]);
      const id = randomUUID();
      expect(await post(`/tallies/${id}/corrections`, valid)).toEqual({ status: 201, body: { id } });
      expect(await get(`/tallies/${id.toUpperCase()}`)).toMatchObject({ status: 200 });
      expect(recorded.length).toBe(count + 1);
    });

    it('answers what Node itself refuses (a 20 KB URL, bytes that are not HTTP) in the contract error shape', async () => {
      const long = await fetch(`${service.url}/tallies/${'x'.repeat(20_000)}`);
      expect(long.status).toBe(431);
      expect(await long.json()).toEqual({ error: 'headers_too_large', message: 'The request line or headers are too large' });
      const raw = await new Promise<string>((resolve, reject) => {
        const { port } = new URL(service.url);
        const socket = connect(Number(port), '127.0.0.1', () => socket.write('NOT HTTP\r\n\r\n'));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString()));
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toEqual({
        error: 'bad_request',
        message: 'The request is not valid HTTP',
      });
    });
  });
});
