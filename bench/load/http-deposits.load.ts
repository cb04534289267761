/**
 * The load generator of the HTTP deposit benchmark, run in a process of its own so that it does not
 * share the service's event loop: autocannon (or, at a fixed rate, pacedLoad) posts deposits to the SHGs in turn, each a new fact
 * (its own amount, the members in turn, dates through a year), and prints its result, with the ids of the
 * deposits answered 2xx, as one line of JSON.
 *   argv: JSON { url, shgs: [{ shgId, memberIds }], formedOn, token?, connections, seconds, rate? }
 */
import autocannon from 'autocannon';
import { printLoadAnswer } from './load-answer';
import { pacedLoad } from './paced';

interface LoadOptions {
  url: string;
  /** One SHG takes every deposit in turn with the others: a busy SHG's stream is one queue. */
  shgs: { shgId: string; memberIds: string[] }[];
  /** The SHGs' formation date: no deposit is dated before it. */
  formedOn: string;
  /** A bearer token (the peer has no access checks). */
  token?: string;
  connections: number;
  seconds: number;
  /** Requests a second over all connections (the lag benchmark's fixed rate); as fast as answered when absent. */
  rate?: number;
}

const options: LoadOptions = JSON.parse(process.argv[2]);
const FIRST_DAY = Date.parse(`${options.formedOn}T00:00:00Z`);
const DAY_MS = 86_400_000;
let sent = 0;

/** The deposit ids answered 2xx: the benchmark looks each up in the event store. */
const accepted: string[] = [];

/** The next deposit: the SHGs in turn, the members in turn, a new amount and date each time. */
function nextDeposit(): { path: string; body: string; headers: Record<string, string> } {
  const n = ++sent;
  const { shgId, memberIds } = options.shgs[n % options.shgs.length];
  const body = JSON.stringify({
    memberId: memberIds[Math.floor(n / options.shgs.length) % memberIds.length],
    amount: 100 + n,
    depositedOn: new Date(FIRST_DAY + (n % 365) * DAY_MS).toISOString().slice(0, 10),
  });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return { path: `/shgs/${shgId}/savings/deposits`, body, headers };
}

const acceptDeposit = (body: string) => accepted.push((JSON.parse(body) as { id: string }).id);

if (options.rate) {
  // A fixed rate is paced, not capped per second (see pacedLoad).
  void pacedLoad({ url: options.url, connections: options.connections, seconds: options.seconds, rate: options.rate }, () => ({
    ...nextDeposit(),
    onSuccess: acceptDeposit,
  })).then((result) => process.stdout.write(`${JSON.stringify({ ...result, accepted })}\n`));
} else {
  autocannon(
    {
      url: options.url,
      connections: options.connections,
      duration: options.seconds,
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => ({ ...request, ...nextDeposit() }),
          onResponse: (status, body) => {
            if (status >= 200 && status < 300) acceptDeposit(body);
          },
        },
      ],
    },
    printLoadAnswer(options.seconds, accepted),
  );
}
