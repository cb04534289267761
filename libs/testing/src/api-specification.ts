import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@sangam/domain';
import { PostgresEventStore, type NewEvent } from '@sangam/event-store';
import type { DevUser } from './dev-tokens';
import { httpClient, type Answer } from './http-client';
import type { RunningService } from './test-environment';

/**
 * Given / when / then at the API of one running service, after Emmett's `ApiSpecification`:
 * given the events already in some streams, when a user sends a request, then its answer and the
 * events it appended. The givens go through the service's own event store, so its inline views
 * (indexes, access grants) see them as they would have seen the real commands; nothing waits for
 * another service.
 *
 *   await spec(() => service)
 *     .given(existingStream(shgId, 'shg', [formed, enrolled, granted]))
 *     .when(post('field1', `/shgs/${shgId}/savings/deposits`, deposit))
 *     .then(expectResponse(201), expectNewEvents(shgId, [{ type: 'SavingsDeposited', data: expect.objectContaining({ amount: 500 }) }]));
 */
export interface ExistingStream {
  streamId: string;
  streamType: string;
  events: NewEvent[];
}

export const existingStream = (streamId: string, streamType: string, events: NewEvent[]): ExistingStream => ({
  streamId,
  streamType,
  events,
});

/** A write: a POST signed in as a development user (whose role and grants decide what it may do). */
export interface ApiRequest {
  as: DevUser;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export const post = (as: DevUser, path: string, body?: unknown, headers?: Record<string, string>): ApiRequest => ({
  as,
  path,
  body,
  headers,
});

/** What the request did: the answer, and the events each stream received after the givens. */
export interface ApiOutcome {
  response: Answer;
  newEvents: (streamId: string) => Promise<DomainEvent[]>;
}

export type ApiExpectation = (outcome: ApiOutcome) => void | Promise<void>;

/** The status, and the body if given (matched as toMatchObject does: asymmetric matchers welcome). */
export const expectResponse =
  (status: number, body?: unknown): ApiExpectation =>
  ({ response }) => {
    expect(response).toMatchObject(body === undefined ? { status } : { status, body });
  };

/** Exactly these events, in order, were appended to the stream by the request. */
export const expectNewEvents =
  (streamId: string, events: DomainEvent[]): ApiExpectation =>
  async ({ newEvents }) => {
    expect(await newEvents(streamId)).toEqual(events);
  };

/** The request appended nothing to the stream (a refusal leaves no trace). */
export const expectNoNewEvents = (streamId: string): ApiExpectation => expectNewEvents(streamId, []);

export function spec(service: () => RunningService) {
  return {
    given: (...streams: ExistingStream[]) => ({
      when: (request: ApiRequest) => ({
        then: async (...expectations: ApiExpectation[]): Promise<void> => {
          const { app, url } = service();
          const store = app.get(PostgresEventStore);
          const metadata = { correlationId: randomUUID(), causationId: null, actor: { service: 'test' } };
          const givenVersions = new Map<string, number>();
          for (const { streamId, streamType, events } of streams) {
            const { nextVersion } = await store.append(
              { streamId, streamType, expectedVersion: givenVersions.get(streamId) ?? 0, events },
              metadata,
            );
            givenVersions.set(streamId, nextVersion);
          }
          const response = await httpClient(url, request.as).post(request.path, request.body, request.headers);
          const newEvents = async (streamId: string) =>
            (await store.readStream(streamId)).slice(givenVersions.get(streamId) ?? 0).map(({ type, data }) => ({ type, data }));
          for (const expectation of expectations) await expectation({ response, newEvents });
        },
      }),
    }),
  };
}
