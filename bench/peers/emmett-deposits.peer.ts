/**
 * The peer of the HTTP deposit benchmark: the same use case as groups' `POST /shgs/:id/savings/deposits`,
 * written the way Emmett's samples write it (a decider over one SHG stream, `CommandHandler` from
 * @event-driven-io/emmett, the PostgreSQL event store of @event-driven-io/emmett-postgresql 0.42)
 * behind plain Express (@event-driven-io/emmett-expressjs has no 0.42 release). No access checks, no
 * outbox, no idempotency keys: what a minimal app of the use case costs. Run in a process of its own:
 *   argv: JSON { databaseUrl, port (0: any free one), poolSize }; prints one line `listening <port>` when it answers.
 */
import { randomUUID } from 'node:crypto';
import { CommandHandler, EmmettError, ExpectedVersionConflictError, IllegalStateError, type Event } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Pool } from 'pg';

type ShgFormed = Event<'ShgFormed', { shgId: string; name: string; village: string; formedOn: string }>;
type MemberEnrolled = Event<'MemberEnrolled', { shgId: string; memberId: string; name: string; role: string }>;
type SavingsDeposited = Event<
  'SavingsDeposited',
  { shgId: string; memberId: string; depositId: string; amount: number; depositedOn: string }
>;
type ShgEvent = ShgFormed | MemberEnrolled | SavingsDeposited;

type Shg = { status: 'unformed' } | { status: 'formed'; formedOn: string; memberIds: string[]; savings: number };

const evolve = (state: Shg, { type, data }: ShgEvent): Shg => {
  switch (type) {
    case 'ShgFormed':
      return { status: 'formed', formedOn: data.formedOn, memberIds: [], savings: 0 };
    case 'MemberEnrolled':
      return state.status === 'formed' ? { ...state, memberIds: [...state.memberIds, data.memberId] } : state;
    case 'SavingsDeposited':
      return state.status === 'formed' ? { ...state, savings: state.savings + data.amount } : state;
  }
};

const initialState = (): Shg => ({ status: 'unformed' });

class Refused extends EmmettError {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super({ errorCode: status, message: code });
  }
}

/** The rules of the deposit: the SHG exists, the member is hers, the amount is positive paise, not before its formation. */
const deposit = (state: Shg, data: SavingsDeposited['data']): SavingsDeposited => {
  if (state.status !== 'formed') throw new Refused(404, 'not_found');
  if (!state.memberIds.includes(data.memberId)) throw new Refused(422, 'unknown_member');
  if (!Number.isSafeInteger(data.amount) || data.amount <= 0) throw new Refused(400, 'validation_failed');
  if (data.depositedOn < state.formedOn) throw new Refused(422, 'date_out_of_order');
  return { type: 'SavingsDeposited', data };
};

const handle = CommandHandler<Shg, ShgEvent>({ evolve, initialState });

const options = JSON.parse(process.argv[2]) as { databaseUrl: string; port: number; poolSize: number };
const pool = new Pool({ connectionString: options.databaseUrl, max: options.poolSize });
const store = getPostgreSQLEventStore(options.databaseUrl, { connectionOptions: { pooled: true, pool } });
// Version races on the one stream are retried at once, as Sangam's command handler retries them.
const retry = { onVersionConflict: { retries: 5, minTimeout: 1, maxTimeout: 20, factor: 2, randomize: true } };

const app = express();
app.use(express.json({ limit: '64kb' }));

app.post('/shgs', async (request: Request<object, unknown, { name: string; village: string; formedOn: string }>, response: Response) => {
  const shgId = randomUUID();
  const { name, village, formedOn } = request.body;
  await handle(store, shgId, (state) => {
    if (state.status === 'formed') throw new IllegalStateError('exists');
    return { type: 'ShgFormed', data: { shgId, name, village, formedOn } } satisfies ShgFormed;
  });
  response.status(201).json({ id: shgId });
});

app.post('/shgs/:id/members', async (request: Request<{ id: string }, unknown, { name: string; role: string }>, response: Response) => {
  const shgId = request.params.id;
  const memberId = randomUUID();
  await handle(
    store,
    shgId,
    (state) => {
      if (state.status !== 'formed') throw new Refused(404, 'not_found');
      return {
        type: 'MemberEnrolled',
        data: { shgId, memberId, name: request.body.name, role: request.body.role },
      } satisfies MemberEnrolled;
    },
    { retry },
  );
  response.status(201).json({ id: memberId });
});

app.post(
  '/shgs/:id/savings/deposits',
  async (request: Request<{ id: string }, unknown, { memberId: string; amount: number; depositedOn: string }>, response: Response) => {
    const shgId = request.params.id;
    const depositId = randomUUID();
    const { memberId, amount, depositedOn } = request.body;
    await handle(store, shgId, (state) => deposit(state, { shgId, memberId, depositId, amount, depositedOn }), { retry });
    response.status(201).json({ id: depositId });
  },
);

app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
  if (error instanceof Refused) response.status(error.status).json({ error: error.code, message: error.code });
  else if (error instanceof ExpectedVersionConflictError) response.status(409).json({ error: 'conflict', message: 'conflict' });
  else response.status(500).json({ error: 'internal', message: String(error) });
});

const server = app.listen(options.port, '127.0.0.1', () =>
  process.stdout.write(`listening ${(server.address() as { port: number }).port}\n`),
);
process.on('SIGTERM', () => {
  server.close();
  void store.close().finally(() => pool.end().finally(() => process.exit(0)));
});
