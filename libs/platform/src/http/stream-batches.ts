import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import type { Command, DomainError, DomainEvent } from '@sangam/domain';
import { KeyedGroupCommit, UnitOfWork, type CommandHandler, type Decided, type IssuedCommand } from '@sangam/event-store';
import {
  answerAgain,
  lockKeys,
  purgeExpiredKeys,
  recordAnswers,
  refusalToKeep,
  sameKey,
  type KeyAnswer,
  type KeyClaim,
  type StoredAnswer,
} from './idempotency-keys';

export const BATCHED_COMMANDS = 'sangam:batched-commands';

/**
 * For a route whose commands go to one stream and arrive together (a meeting's deposits): the
 * interceptor opens no unit of work for it; the route hands its command to StreamBatches, which
 * writes the commands waiting for one stream in one transaction. The Idempotency-Key is honoured
 * there, as on every other route (the route takes its claim with `@KeyClaimOf()`).
 */
export const BatchedCommands = () => SetMetadata(BATCHED_COMMANDS, true);

/** The request's claim on its key, with the status its success is answered with: set by the interceptor on a batched route. */
export type RequestKeyClaim = KeyClaim & { successStatus: number };
export type RequestWithKeyClaim = Request & { keyClaim?: RequestKeyClaim };

/** `@KeyClaimOf() claim: RequestKeyClaim | null` in a batched route: null when the request sent no Idempotency-Key. */
export const KeyClaimOf = createParamDecorator(
  (_: unknown, context: ExecutionContext): RequestKeyClaim | null =>
    context.switchToHttp().getRequest<RequestWithKeyClaim>().keyClaim ?? null,
);

interface BatchedRequest<State, C extends Command> {
  command: IssuedCommand<C>;
  claim: RequestKeyClaim | null;
  /** The route's answer once the command's events are appended (stored under the key with them). */
  answer: (decided: Decided<State>) => unknown;
}

/** `failure`: the answer could not be made after the commit; the request fails alone, and nothing is written again. */
type Outcome = { body: unknown } | { refusal: DomainError } | { earlier: StoredAnswer } | { failure: unknown };

/**
 * Group commit per stream, for HTTP commands: while one transaction writes a stream, the commands
 * that arrive for it wait, and the next transaction takes them all. A batch without keys whose
 * stream's folded state is kept, every command accepted on it, is one statement with no
 * transaction (handleOnKeptState). Otherwise: the keys' locks and earlier
 * answers in one statement, the stream locked and read once, each command decided on the state the
 * previous one left (CommandHandler.handleEach), one append, the keys' answers, one commit. Each
 * request is answered once that commit is done: its own events or its own refusal, exactly as
 * alone. A batch that fails for another reason is written again one command at a time, so that a
 * bad command fails alone; one that fails for a transient reason (the database away, a deadlock
 * broken, a statement timeout) fails every request in it with 503, as each would have failed alone.
 *
 * Two requests with the same key never share a batch: the second waits for the next, and finds
 * the first's answer there, as it would on the key's lock.
 */
export class StreamBatches<State, C extends Command, Event extends DomainEvent> {
  private readonly batches: KeyedGroupCommit<BatchedRequest<State, C>, Outcome>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly handler: CommandHandler<State, C, Event>,
    maxBatch = 64,
  ) {
    this.batches = new KeyedGroupCommit((streamId, requests) => this.write(streamId, requests), {
      maxBatch,
      canJoin: ({ claim }, batch) => !claim || !batch.some((other) => other.claim && sameKey(other.claim, claim)),
    });
  }

  /** The route's answer to the command, or its refusal (thrown) as the route would give it alone. */
  async submit<Answer>(
    streamId: string,
    command: IssuedCommand<C>,
    claim: RequestKeyClaim | null,
    answer: (decided: Decided<State>) => Answer,
  ): Promise<Answer> {
    const outcome = await this.batches.submit(streamId, { command, claim, answer });
    if ('earlier' in outcome) answerAgain(outcome.earlier, claim!);
    if ('refusal' in outcome) throw outcome.refusal;
    if ('failure' in outcome) throw outcome.failure;
    return outcome.body as Answer;
  }

  private async write(streamId: string, requests: BatchedRequest<State, C>[]): Promise<Outcome[]> {
    const keyed = requests.filter((request) => request.claim);
    if (keyed.length === 0) {
      // No key to hold: on the stream's kept state, the batch is one statement (CommandHandler.handleOnKeptState).
      const decided = await this.handler.handleOnKeptState(
        streamId,
        requests.map((request) => request.command),
      );
      if (decided) return decided.map((result, i) => answeredAfterCommit(requests[i], result));
    } else await purgeExpiredKeys(this.dataSource);
    return UnitOfWork.run(this.dataSource, async (unit) => {
      const answered = await lockKeys(
        unit.manager,
        keyed.map((request) => request.claim!),
      );
      const earlier = new Map(keyed.map((request, i) => [request, answered[i]]));
      const fresh = requests.filter((request) => !earlier.get(request));
      const decided =
        fresh.length > 0
          ? await this.handler.handleEach(
              unit,
              streamId,
              fresh.map((request) => request.command),
            )
          : [];
      const outcomes = new Map<BatchedRequest<State, C>, Outcome>();
      const answers: KeyAnswer[] = [];
      fresh.forEach((request, i) => {
        const result = decided[i];
        if ('events' in result) {
          const body = request.answer(result) ?? null;
          outcomes.set(request, { body });
          if (request.claim) answers.push({ claim: request.claim, status: request.claim.successStatus, body });
        } else {
          outcomes.set(request, { refusal: result });
          const kept = request.claim && refusalToKeep(result);
          if (kept) answers.push({ claim: request.claim!, ...kept });
        }
      });
      await recordAnswers(unit.manager, answers);
      return requests.map((request) => {
        const stored = earlier.get(request);
        return stored ? { earlier: stored } : outcomes.get(request)!;
      });
    });
  }
}

/** A written command's answer: what goes wrong making it must not look like a failed write, which would be written again. */
function answeredAfterCommit<State, C extends Command>(request: BatchedRequest<State, C>, decided: Decided<State>): Outcome {
  try {
    return { body: request.answer(decided) ?? null };
  } catch (failure) {
    return { failure };
  }
}
