import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Module, Post, type DynamicModule } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { DomainError } from '@sangam/domain';
import { IsBusinessDate, IsPaise, PlatformModule, Policy, SkipIdempotencyKey, type ServiceConfig } from '@sangam/platform';
import { startService, tokenFor, type RunningService } from '@sangam/testing';

class RecordTallyDto {
  @IsPaise() amount: number;
  @IsBusinessDate() countedOn: string;
  @IsString() @MaxLength(20) note: string;
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
  ownScheme(@Body() body: RecordTallyDto) {
    recorded.push(body);
    return { id: randomUUID() };
  }

  @Post('later')
  @HttpCode(202)
  later(@Body() body: RecordTallyDto) {
    recorded.push(body);
    return { accepted: true };
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

  it('forgets keys after 24 hours: a reused old key runs again, and expired keys are purged', async () => {
    const dataSource = service.app.get(DataSource);
    const old = randomUUID();
    const forgotten = randomUUID();
    await post('/tallies', valid, { 'Idempotency-Key': old });
    await dataSource.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`, [old]);
    await dataSource.query(`INSERT INTO idempotency_keys (key, request_hash, status, body, created_at) VALUES ($1, 'x', 201, '{}', now() - interval '25 hours')`, [forgotten]);
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
});
