import { Inject, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { Request } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import type { UnitOfWork } from '@sangam/event-store';
import type { RequestWithCaller } from '../access/access.guard';
import { ANSWER_SEALER, SEALED_ANSWER, type AnswerSealer } from './answer-sealing';
import {
  answerAgain,
  claimKey,
  IDEMPOTENCY_HEADER,
  lockKeys,
  purgeExpiredKeys,
  recordAnswers,
  refusalToKeep,
  type KeyClaim,
  type StoredAnswer,
} from './idempotency-keys';
import { COMMAND_METHODS, inRequestUnitOfWork } from './request-unit-of-work';
import { BATCHED_COMMANDS, type RequestWithKeyClaim } from './stream-batches';

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

interface AnswerSealing {
  seal(key: string, body: unknown): unknown;
  open(key: string, stored: unknown): unknown;
}

type Outcome = { earlier: StoredAnswer } | { body: unknown } | { refusal: unknown };

/** The status a route answers success with: its @HttpCode, else 201 (every command route is a POST or DELETE). */
const successStatus = (context: ExecutionContext): number =>
  (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ?? 201;

/**
 * Every command request (POST, DELETE) runs in one unit of work, with or without a key (see
 * request-unit-of-work.ts), except on a route of its own transactions or a batched one (see
 * stream-batches.ts). The contract's Idempotency-Key (idempotency-keys.ts): the first answer to a
 * key is stored and replayed for 24 h, in the request's unit of work: the events and the answer
 * commit together or not at all, so a crash at any point leaves either both (a retry replays the
 * answer) or neither (a retry runs the command afresh). A retry racing the first request waits for
 * it on the key's lock, then replays.
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
    const handler = context.getHandler();
    if (!COMMAND_METHODS.has(request.method) || this.reflector.get(OWN_TRANSACTIONS, handler)) return next.handle();
    const key = request.headers[IDEMPOTENCY_HEADER];
    const keyed = request.method === 'POST' && key !== undefined && !this.reflector.get(SKIP, handler);
    if (this.reflector.get(BATCHED_COMMANDS, handler)) {
      // The route's batch honours the key in its own transaction (it stores answers as they are: none is sealed).
      if (this.reflector.get(SEALED_ANSWER, handler)) throw new Error('a batched route cannot seal its answers');
      if (keyed) (request as RequestWithKeyClaim).keyClaim = { ...this.claim(request, String(key)), successStatus: successStatus(context) };
      return next.handle();
    }
    if (!keyed) return from(inRequestUnitOfWork(this.dataSource, request, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
    return from(this.handle(context, request, String(key), next));
  }

  private claim(request: Request, key: string): KeyClaim {
    return claimKey(request, key, (request as RequestWithCaller).caller?.userId ?? '');
  }

  private async handle(context: ExecutionContext, request: Request, key: string, next: CallHandler): Promise<unknown> {
    const claim = this.claim(request, key);
    await purgeExpiredKeys(this.dataSource);
    const sealing = this.sealingFor(context);
    const outcome = await inRequestUnitOfWork(this.dataSource, request, (unit) => this.answerOnce(unit, context, claim, next, sealing));
    if ('earlier' in outcome) answerAgain(outcome.earlier, claim, sealing ? (stored) => sealing.open(key, stored) : undefined);
    if ('refusal' in outcome) throw outcome.refusal;
    return outcome.body;
  }

  /** Inside the request's unit of work: the earlier answer to the key, or this request's, stored with its events. */
  private async answerOnce(
    unit: UnitOfWork,
    context: ExecutionContext,
    claim: KeyClaim,
    next: CallHandler,
    sealing: AnswerSealing | null,
  ): Promise<Outcome> {
    const record = (status: number, body: unknown) =>
      recordAnswers(unit.manager, [{ claim, status, body: sealing ? sealing.seal(claim.key, body) : body }]);
    const [earlier] = await lockKeys(unit.manager, [claim]);
    if (earlier) return { earlier };
    try {
      // On failure the savepoint undoes whatever the request wrote before it failed.
      return await unit.savepoint(async () => {
        const body = (await lastValueFrom<unknown, undefined>(next.handle(), { defaultValue: undefined })) ?? null;
        await record(successStatus(context), body);
        return { body };
      });
    } catch (error) {
      const refusal = refusalToKeep(error);
      if (!refusal) throw error;
      // A refusal is the answer to replay.
      await record(refusal.status, refusal.body);
      return { refusal: error };
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
}
