import { createHash } from 'node:crypto';
import { Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { Request } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { DomainError } from '@sangam/domain';
import { toErrorResponse } from './error-response';
import { ReplayedResponse } from './replayed-response';

const HEADER = 'idempotency-key';
const SKIP = 'sangam:skip-idempotency-key';

/** For routes with an idempotency scheme of their own (signed webhooks de-duplicate by webhook-id). */
export const SkipIdempotencyKey = () => SetMetadata(SKIP, true);
const RETENTION = '24 hours';

interface StoredKey {
  request_hash: string;
  status: number | null;
  body: unknown;
}

/** Key order must not change the hash: {a,b} and {b,a} are the same request. */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]))
      : value;

/**
 * The contract's Idempotency-Key: the first answer to a key is stored and replayed for 24 h.
 * The key is claimed before the command runs, so a retry racing the first request, or one
 * following a crash mid-request, gets 409 instead of recording the money twice.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const key = request.headers[HEADER];
    if (request.method !== 'POST' || key === undefined || this.reflector.get(SKIP, context.getHandler())) return next.handle();
    return from(this.handle(context, request, String(key), next));
  }

  private async handle(context: ExecutionContext, request: Request, key: string, next: CallHandler): Promise<unknown> {
    if (key.length < 1 || key.length > 255) {
      throw new DomainError('validation_failed', 'Idempotency-Key must be 1 to 255 characters', 'validation', [
        { field: 'Idempotency-Key', message: 'must be 1 to 255 characters' },
      ]);
    }
    const hash = createHash('sha256')
      .update(JSON.stringify({ method: request.method, path: request.path, body: canonical(request.body ?? null) }))
      .digest('hex');
    const existing = await this.claim(key, hash);
    if (existing) {
      if (existing.request_hash !== hash) {
        throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request');
      }
      if (existing.status === null) {
        throw new DomainError('conflict', 'A request with this Idempotency-Key is still in progress or was interrupted', 'conflict');
      }
      throw new ReplayedResponse(existing.status, existing.body);
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const status = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) ?? 201;
      await this.record(key, status, body ?? null);
      return body;
    } catch (error) {
      const { status, body } = toErrorResponse(error);
      // A refusal is the answer to replay; a conflict or a failure of ours may succeed on retry.
      if (status >= 400 && status < 500 && status !== 409) await this.record(key, status, body);
      else await this.dataSource.query(`DELETE FROM idempotency_keys WHERE key = $1 AND status IS NULL`, [key]);
      throw error;
    }
  }

  /** Claims the key for this request, or returns what an earlier request with it left. */
  private async claim(key: string, hash: string): Promise<StoredKey | null> {
    await this.purgeExpired();
    const claimed = await this.dataSource.query(
      `INSERT INTO idempotency_keys (key, request_hash) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, hash],
    );
    if (claimed.length > 0) return null;
    const [row] = await this.dataSource.query(`SELECT request_hash, status, body FROM idempotency_keys WHERE key = $1`, [key]);
    return row ?? { request_hash: hash, status: null, body: null };
  }

  /** Keys are kept 24 h. The created_at index makes this cheap: it touches only the expired rows. */
  private async purgeExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE created_at < now() - interval '${RETENTION}'`);
  }

  private async record(key: string, status: number, body: unknown): Promise<void> {
    await this.dataSource.query(`UPDATE idempotency_keys SET status = $2, body = $3::jsonb WHERE key = $1`, [
      key,
      status,
      JSON.stringify(body),
    ]);
  }
}
