import { createHash } from 'node:crypto';
import { Inject, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { Request } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DataSource, type EntityManager } from 'typeorm';
import type { UnitOfWork } from '@sangam/event-store';
import { errorCode } from '@sangam/messaging';
import { DomainError } from '@sangam/domain';
import { ANSWER_SEALER, SEALED_ANSWER, type AnswerSealer } from './answer-sealing';
import { toErrorResponse } from './error-response';
import { ReplayedResponse } from './replayed-response';
import { COMMAND_METHODS, inRequestUnitOfWork } from './request-unit-of-work';
import type { RequestWithCaller } from '../access/access.guard';

const HEADER = 'idempotency-key';
const SKIP = 'sangam:skip-idempotency-key';

/** For routes with an idempotency scheme of their own (signed webhooks de-duplicate by webhook-id). */
export const SkipIdempotencyKey = () => SetMetadata(SKIP, true);
const OWN_TRANSACTIONS = 'sangam:own-transactions';
/**
 * For a route that commits what it writes in transactions of its own (signed webhooks share one
 * among concurrent deliveries): no request unit of work is opened for it, so it takes no
 * Idempotency-Key either (an answer could not be stored with the writes) and must have an
 * idempotency scheme of its own.
 */
export const OwnTransactions = () => SetMetadata(OWN_TRANSACTIONS, true);
const RETENTION = '24 hours';

/** A retry waits 5 s (lock_idempotency_key's lock_timeout) for the first request with its key to finish, then answers 409. */
const LOCK_NOT_AVAILABLE = '55P03';

interface StoredAnswer {
  request_hash: string;
  /** Null only in a key an earlier version claimed and never answered (a crash mid-request): its outcome is unknown. */
  status: number | null;
  body: unknown;
}

interface AnswerSealing {
  seal(key: string, body: unknown): unknown;
  open(key: string, stored: unknown): unknown;
}

type Outcome = { earlier: StoredAnswer } | { body: unknown } | { refusal: unknown };

/** Key order must not change the hash: {a,b} and {b,a} are the same request. */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
        )
      : value;

/**
 * Every command request (POST, DELETE) runs in one unit of work, with or without a key (see
 * request-unit-of-work.ts). The contract's Idempotency-Key: the first answer to a key is stored
 * and replayed for 24 h, in the request's unit of work: the events and the answer commit
 * together or not at all, so a crash at any point leaves either both (a retry replays the
 * answer) or neither (a retry runs the command afresh). A retry racing the first request waits for it on the key's lock, then replays.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
    @Inject(ANSWER_SEALER) private readonly sealer: AnswerSealer | null,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    if (!COMMAND_METHODS.has(request.method) || this.reflector.get(OWN_TRANSACTIONS, context.getHandler())) return next.handle();
    const key = request.headers[HEADER];
    if (request.method !== 'POST' || key === undefined || this.reflector.get(SKIP, context.getHandler())) {
      return from(inRequestUnitOfWork(this.dataSource, request, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
    }
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
    await this.purgeExpired();
    const sealing = this.sealingFor(context);
    // A key belongs to its caller: another user's identical key never finds this one's answer.
    const owner = (request as RequestWithCaller).caller?.userId ?? '';
    const outcome = await inRequestUnitOfWork(this.dataSource, request, (unit) =>
      this.answerOnce(unit, context, { owner, key }, hash, next, sealing),
    );
    if ('earlier' in outcome) {
      if (outcome.earlier.request_hash !== hash) {
        throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request');
      }
      if (outcome.earlier.status === null) {
        throw new DomainError(
          'conflict',
          'A request with this Idempotency-Key was interrupted and its outcome is unknown; check before retrying with a new key',
          'conflict',
        );
      }
      throw new ReplayedResponse(outcome.earlier.status, sealing ? sealing.open(key, outcome.earlier.body) : outcome.earlier.body);
    }
    if ('refusal' in outcome) throw outcome.refusal;
    return outcome.body;
  }

  /** Inside the request's unit of work: the earlier answer to the key, or this request's, stored with its events. */
  private async answerOnce(
    unit: UnitOfWork,
    context: ExecutionContext,
    { owner, key }: { owner: string; key: string },
    hash: string,
    next: CallHandler,
    sealing: AnswerSealing | null,
  ): Promise<Outcome> {
    const { manager } = unit;
    const record = (status: number, body: unknown) =>
      this.record(manager, { owner, key }, hash, status, sealing ? sealing.seal(key, body) : body);
    const earlier = await this.lockKey(manager, { owner, key });
    if (earlier) return { earlier };
    try {
      // On failure the savepoint undoes whatever the request wrote before it failed.
      return await unit.savepoint(async () => {
        const body = (await lastValueFrom<unknown, undefined>(next.handle(), { defaultValue: undefined })) ?? null;
        await record((Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ?? 201, body);
        return { body };
      });
    } catch (error) {
      const { status, body } = toErrorResponse(error);
      // A conflict or a failure of ours may succeed on retry: rolling everything back leaves the key unused.
      if (status < 400 || status >= 500 || status === 409) throw error;
      // A refusal is the answer to replay.
      await record(status, body);
      return { refusal: error };
    }
  }

  /** Waits for any other request with this key to finish, then reads the answer it left, if any. */
  private async lockKey(manager: EntityManager, { owner, key }: { owner: string; key: string }): Promise<StoredAnswer | null> {
    try {
      const [row] = await manager.query<StoredAnswer[]>(`SELECT request_hash, status, body FROM lock_idempotency_key($1, $2)`, [
        owner,
        key,
      ]);
      return row ?? null;
    } catch (error) {
      if (errorCode(error) === LOCK_NOT_AVAILABLE) {
        throw new DomainError('conflict', 'A request with this Idempotency-Key is still in progress; retry later', 'conflict');
      }
      throw error;
    }
  }

  /** How a route marked @SealedAnswer stores its answer: as `{ sealed }`, opened again for a replay. */
  private sealingFor(context: ExecutionContext): AnswerSealing | null {
    if (!this.reflector.get(SEALED_ANSWER, context.getHandler())) return null;
    const sealer = this.sealer;
    if (!sealer) throw new Error('a route with @SealedAnswer needs PlatformModule.forService({ answerSealer })');
    return {
      seal: (key, body) => ({ sealed: sealer.seal(key, JSON.stringify(body)) }),
      open: (key, stored) => JSON.parse(sealer.open(key, (stored as { sealed: string }).sealed)) as unknown,
    };
  }

  /** Keys are kept 24 h. The created_at index makes this cheap: it touches only the expired rows. */
  private async purgeExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE created_at < now() - interval '${RETENTION}'`);
  }

  private async record(
    manager: EntityManager,
    { owner, key }: { owner: string; key: string },
    hash: string,
    status: number,
    body: unknown,
  ): Promise<void> {
    await manager.query(`INSERT INTO idempotency_keys (owner, key, request_hash, status, body) VALUES ($1, $2, $3, $4, $5::jsonb)`, [
      owner,
      key,
      hash,
      status,
      JSON.stringify(body),
    ]);
  }
}
