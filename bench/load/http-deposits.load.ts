/**
 * The load generator of the HTTP deposit benchmark, run in a process of its own so that it does not
 * share the service's event loop: autocannon posts deposits to one SHG, each a new fact (its own
 * amount, the members in turn, dates through a year), and prints its result, with the ids of the
 * deposits answered 2xx, as one line of JSON.
 *   argv: JSON { url, shgId, memberIds, formedOn, token?, connections, seconds }
 */
import autocannon from 'autocannon';

interface LoadOptions {
  url: string;
  shgId: string;
  memberIds: string[];
  /** The SHG's formation date: no deposit is dated before it. */
  formedOn: string;
  /** A bearer token (the peer has no access checks). */
  token?: string;
  connections: number;
  seconds: number;
}

const options: LoadOptions = JSON.parse(process.argv[2]);
const FIRST_DAY = Date.parse(`${options.formedOn}T00:00:00Z`);
const DAY_MS = 86_400_000;
let sent = 0;

/** The deposit ids answered 2xx: the benchmark looks each up in the event store. */
const accepted: string[] = [];

function deposit(request: autocannon.Request): autocannon.Request {
  const n = ++sent;
  const body = JSON.stringify({
    memberId: options.memberIds[n % options.memberIds.length],
    amount: 100 + n,
    depositedOn: new Date(FIRST_DAY + (n % 365) * DAY_MS).toISOString().slice(0, 10),
  });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return { ...request, body, headers };
}

autocannon(
  {
    url: `${options.url}/shgs/${options.shgId}/savings/deposits`,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: deposit,
        onResponse: (status, body) => {
          if (status >= 200 && status < 300) accepted.push((JSON.parse(body) as { id: string }).id);
        },
      },
    ],
  },
  (error, result) => {
    if (error) throw error;
    process.stdout.write(
      `${JSON.stringify({
        requestsPerSecond: Math.round(result['2xx'] / options.seconds),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        accepted,
        refused: result.non2xx,
        errors: result.errors + result.timeouts,
      })}\n`,
    );
  },
);
